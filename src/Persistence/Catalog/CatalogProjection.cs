using Enrichment.Abstractions;

namespace Enrichment.Persistence.Catalog;

/// <summary>One searchable attribute of a product, values normalised (<see cref="AttributeNames.NormalizeValue"/>).</summary>
public sealed record ProjectedAttribute(string? Catalogue, string? Predicted, float? Confidence, string? Effective)
{
    /// <summary>The value under <paramref name="source"/>, if it counts at <paramref name="minConfidence"/>.</summary>
    public string? ValueFor(AttributeSource source, float? minConfidence) => source switch
    {
        AttributeSource.Catalogue => Catalogue,
        AttributeSource.Predicted => Confident(minConfidence) ? Predicted : null,
        _ => Catalogue ?? (Confident(minConfidence) ? Effective : null),
    };

    private bool Confident(float? minConfidence) => minConfidence is not { } min || Confidence >= min;
}

/// <summary>
/// What the read model keeps of a product: the pure rule both read models (PostgreSQL and memory) index by, so they
/// cannot disagree about what a product matches.
/// </summary>
public sealed record CatalogProjection(
    ProductView View,
    long Revision,
    IReadOnlyDictionary<string, ProjectedAttribute> Attributes,
    IReadOnlyList<string> Words,
    float? LowestConfidence,
    IReadOnlyList<string> ProvenanceTerms)
{
    public string ProductId => View.ProductId;

    /// <summary>Has a photo and the catalogue's type and colour: what training learns from.</summary>
    public bool IsLabelled =>
        View.Image is not null
        && View.KnownAttributes.ContainsKey(AttributeNames.Type)
        && View.KnownAttributes.ContainsKey(AttributeNames.Colour);

    public static CatalogProjection Of(ProductView view, long revision)
    {
        var effective = view.EffectiveAttributes();
        var predicted = view.Enrichment?.Attributes ?? new Dictionary<string, PredictedAttribute>();
        var attributes = new Dictionary<string, ProjectedAttribute>(StringComparer.Ordinal);
        foreach (var name in AttributeNames.Searchable)
        {
            var catalogue = view.KnownAttributes.TryGetValue(name, out var c) ? Normalized(c) : null;
            var prediction = predicted.TryGetValue(name, out var p) && p.Value != ProductView.OtherClass ? p : null;
            var effectiveValue = effective.TryGetValue(name, out var e) ? Normalized(e) : null;
            if (catalogue is not null || prediction is not null || effectiveValue is not null)
            {
                attributes[name] = new ProjectedAttribute(catalogue, prediction is null ? null : Normalized(prediction.Value),
                    prediction?.Confidence, effectiveValue);
            }
        }
        var words = CatalogQueryRules.TextWords($"{view.Name} {view.Enrichment?.Caption}").Distinct(StringComparer.Ordinal).ToList();
        var lowest = predicted.Count == 0 ? (float?)null : predicted.Values.Min(a => a.Confidence);
        return new CatalogProjection(view, revision, attributes, words, lowest, ProvenanceFacet.Terms(view).ToList());
    }

    /// <summary>Whether the product satisfies every condition of <paramref name="query"/> (the cursor aside).</summary>
    public bool Matches(CatalogQuery query, IReadOnlyList<string>? queryWords)
    {
        if (query.Status is { } status && View.EnrichmentStatus != status)
        {
            return false;
        }
        if (query.ModelVersion is { } model && View.Enrichment?.ModelVersion != model)
        {
            return false;
        }
        if (query.Reviewed is { } reviewed && IsReviewed != reviewed)
        {
            return false;
        }
        if (query.Provenance.Length > 0 && !query.Provenance.Select(ProvenanceFacet.Canonical).Any(p => p is not null && ProvenanceTerms.Contains(p, StringComparer.Ordinal)))
        {
            return false;
        }
        foreach (var (name, values) in query.Attributes)
        {
            var value = Attributes.TryGetValue(name, out var a) ? a.ValueFor(query.Source, query.MinConfidence) : null;
            if (value is null || !values.Any(v => Normalized(v) == value))
            {
                return false;
            }
        }
        if (query.MinConfidence is { } min && !CatalogQueryPlan.ConfidenceCoveredByFilters(query) && !(LowestConfidence >= min))
        {
            return false;
        }
        return queryWords is null || queryWords.All(w => Words.Contains(w, StringComparer.Ordinal));
    }

    /// <summary>
    /// The confidence a review queue orders this product by, or null when it is not on that queue: an attribute
    /// already reviewed is off both queues; "other" predictions are no value and never queued.
    /// </summary>
    public float? ReviewConfidence(ReviewQuery query)
    {
        if (View.Reviews.ContainsKey(query.Attribute)
            || !Attributes.TryGetValue(query.Attribute, out var a) || a.Predicted is null || a.Confidence is not { } confidence)
        {
            return null;
        }
        return query.Kind switch
        {
            ReviewKind.Disagreement => a.Catalogue is not null && a.Catalogue != a.Predicted && confidence >= query.Threshold ? confidence : null,
            _ => confidence < query.Threshold ? confidence : null,
        };
    }

    public bool IsReviewed => View.Reviews.Count > 0;

    public static string Normalized(string value) => AttributeNames.NormalizeValue(value);
}

/// <summary>The order of a review queue, shared by both read models: most confident disagreements first, least confident predictions first.</summary>
public static class ReviewOrder
{
    public static bool Descending(ReviewQuery query) => query.Kind == ReviewKind.Disagreement;

    /// <summary>Whether (confidence, id) comes after the cursor's row in the queue's order.</summary>
    public static bool After(ReviewQuery query, float confidence, string productId, (float Confidence, string ProductId) cursor)
    {
        var order = confidence.CompareTo(cursor.Confidence);
        if (order == 0) order = string.CompareOrdinal(productId, cursor.ProductId);
        return Descending(query) ? order < 0 : order > 0;
    }
}

/// <summary>Decisions about a query that both read models take the same way.</summary>
public static class CatalogQueryPlan
{
    /// <summary>
    /// True when some attribute filter already applies the minimum confidence (any filter can meet a prediction
    /// unless it asks for catalogue values); otherwise the product's least confident prediction must reach it.
    /// </summary>
    public static bool ConfidenceCoveredByFilters(CatalogQuery query) =>
        query.Attributes.Count > 0 && query.Source != AttributeSource.Catalogue;
}
