using Enrichment.Abstractions;

namespace Enrichment.Persistence.Catalog;

/// <summary>How a product spells one of its searchable values: <paramref name="Value"/> normalised (what search compares),
/// <paramref name="Spelling"/> as the catalogue (or the model's vocabulary) wrote it.</summary>
public sealed record ValueSpelling(string Attribute, string Value, string Spelling);

/// <summary>
/// The spellings a product brings to the catalogue's spelling map, which facets read to show values as the catalogue
/// writes them ("Navy Blue", not "navy blue") while still counting per normalised value. The map keeps the first
/// spelling it is given for a value; both read models apply this one rule.
/// </summary>
public static class ValueSpellings
{
    /// <summary>
    /// One spelling per searchable (attribute, normalised value) of <paramref name="view"/>: the catalogue's (reviewed
    /// values included) before a prediction's, in (attribute, value) order so that concurrent writers of the PostgreSQL
    /// map take its keys in one order.
    /// </summary>
    public static IReadOnlyList<ValueSpelling> Of(ProductView view)
    {
        var catalogue = view.KnownAttributes.Select(a => (a.Key, a.Value));
        var predicted = (view.Enrichment?.Attributes ?? new Dictionary<string, PredictedAttribute>())
            .Where(a => a.Value.Value != ProductView.OtherClass)
            .Select(a => (a.Key, a.Value.Value));
        return catalogue.Concat(predicted)
            .Where(a => AttributeNames.IsSearchable(a.Key))
            .Select(a => new ValueSpelling(a.Key, CatalogProjection.Normalized(a.Item2), a.Item2.Trim(' ')))
            .Where(s => s.Value.Length > 0)
            .DistinctBy(s => (s.Attribute, s.Value))
            .OrderBy(s => s.Attribute, StringComparer.Ordinal).ThenBy(s => s.Value, StringComparer.Ordinal)
            .ToList();
    }
}
