namespace Enrichment.Abstractions;

/// <summary>Which value of an attribute a query looks at.</summary>
public enum AttributeSource
{
    /// <summary>The catalogue's value where it gave one, else the model's prediction (see <see cref="ProductView.EffectiveAttributes"/>).</summary>
    Effective,
    /// <summary>Only values the catalogue sent.</summary>
    Catalogue,
    /// <summary>Only values the models predicted.</summary>
    Predicted,
}

/// <summary>
/// A search over the catalogue's read model. Filters on different attributes must all match; several values of one
/// attribute match any of them. Results come in <see cref="Sort"/> order (product id by default), a page at a time,
/// continued by <see cref="After"/>.
/// </summary>
[GenerateSerializer, Immutable, Alias("Enrichment.CatalogQuery")]
public sealed record CatalogQuery
{
    /// <summary>Searchable attribute to the values wanted (any of them).</summary>
    [Id(0)] public Dictionary<string, string[]> Attributes { get; init; } = new();
    [Id(1)] public AttributeSource Source { get; init; } = AttributeSource.Effective;
    /// <summary>
    /// A predicted value counts only when its confidence reaches this (0..1). With no attribute filter that a
    /// prediction can satisfy, the product's least confident prediction must reach it.
    /// </summary>
    [Id(2)] public float? MinConfidence { get; init; }
    [Id(3)] public EnrichmentStatus? Status { get; init; }
    [Id(4)] public string? ModelVersion { get; init; }
    /// <summary>Words that must all occur in the product's name or caption (case-insensitive, whole words).</summary>
    [Id(5)] public string? Text { get; init; }
    /// <summary>The cursor a previous page returned; null starts at the beginning.</summary>
    [Id(6)] public string? After { get; init; }
    [Id(7)] public int Limit { get; init; } = 20;
    [Id(8)] public bool IncludeTotal { get; init; } = true;
    [Id(9)] public bool IncludeFacets { get; init; }
    /// <summary>
    /// Provenance filters, any of which must hold: "auto" (some attribute was auto-applied) or "colour:auto" (the colour
    /// was); values catalogue, reviewed, auto, suggested (<see cref="AttributeProvenance"/>).
    /// </summary>
    [Id(10)] public string[] Provenance { get; init; } = [];
    /// <summary>True: only products carrying a reviewed value; false: only products without one; null: either.</summary>
    [Id(11)] public bool? Reviewed { get; init; }
    /// <summary>What the results are ordered by; ties are broken by product id in the same direction.</summary>
    [Id(12)] public CatalogSort Sort { get; init; } = CatalogSort.Id;
    /// <summary>Largest key first (newest change, Z before A, most confident).</summary>
    [Id(13)] public bool Descending { get; init; }
}

[GenerateSerializer, Immutable, Alias("Enrichment.CatalogPage")]
public sealed record CatalogPage(
    [property: Id(0)] ProductView[] Items,
    /// <summary>Pass as <see cref="CatalogQuery.After"/> for the next page; null on the last page.</summary>
    [property: Id(1)] string? NextCursor,
    /// <summary>How many products match in all; null unless asked for.</summary>
    [property: Id(2)] long? Total,
    /// <summary>For each searchable attribute, its most frequent values among the matches; null unless asked for.</summary>
    [property: Id(3)] AttributeFacet[]? Facets,
    /// <summary>
    /// True when <see cref="Total"/> and the facet counts are estimates from a sample of the catalogue: the result is
    /// too large to count on every request (like a search engine's "about 97,000 results"). Small results are exact.
    /// </summary>
    [property: Id(4)] bool Estimated = false);

/// <summary>The facet that counts provenance ("auto", "colour:auto", …) beside the attributes' facets.</summary>
public static class ProvenanceFacet
{
    public const string Name = "provenance";

    /// <summary>A product's provenance terms: each kind it has ("auto") and each attribute's ("colour:auto").</summary>
    public static IEnumerable<string> Terms(ProductView product) =>
        product.Provenance
            .Where(p => AttributeNames.IsSearchable(p.Key))
            .SelectMany(p => new[] { AutoApplyRules.Describe(p.Value), $"{p.Key}:{AutoApplyRules.Describe(p.Value)}" })
            .Distinct(StringComparer.Ordinal);

    /// <summary>A filter value in its canonical form ("Colour:AUTO" -> "colour:auto"), or null when it is not one.</summary>
    public static string? Canonical(string filter)
    {
        var parts = filter.Trim().Split(':');
        if (parts.Length == 1) return AutoApplyRules.TryParse(parts[0], out var p) ? AutoApplyRules.Describe(p) : null;
        var attribute = parts[0].Trim().ToLowerInvariant();
        return parts.Length == 2 && AttributeNames.IsSearchable(attribute) && AutoApplyRules.TryParse(parts[1], out var q)
            ? $"{attribute}:{AutoApplyRules.Describe(q)}" : null;
    }
}

[GenerateSerializer, Immutable, Alias("Enrichment.AttributeFacet")]
public sealed record AttributeFacet(
    [property: Id(0)] string Attribute,
    [property: Id(1)] FacetValue[] Values);

[GenerateSerializer, Immutable, Alias("Enrichment.FacetValue")]
public sealed record FacetValue(
    [property: Id(0)] string Value,
    [property: Id(1)] long Count);

/// <summary>Reviewed products: all of them, and those outside the evaluation set (the next retraining's labels).</summary>
[GenerateSerializer, Immutable, Alias("Enrichment.ReviewedLabels")]
public sealed record ReviewedLabels([property: Id(0)] long Reviewed, [property: Id(1)] long UsedByNextTraining);

/// <summary>The read side of the catalogue: stateless search over the read model (PostgreSQL, or memory on the embedded default).</summary>
[Alias("Enrichment.ICatalogSearchGrain")]
public interface ICatalogSearchGrain : IGrainWithIntegerKey
{
    [Alias("Search")] Task<CatalogPage> Search(CatalogQuery query);

    /// <summary>One page of a review queue (the query is valid: <see cref="ReviewRules"/>).</summary>
    [Alias("Review")] Task<ReviewPage> Review(ReviewQuery query);

    /// <summary>How many products carry a reviewed label, and how many of those the next retraining learns from.</summary>
    [Alias("CountReviewed")] Task<ReviewedLabels> CountReviewed();

    /// <summary>How many products carry each model version's predictions (from the read model's index, never a scan in memory).</summary>
    [Alias("CountByModelVersion")] Task<ModelVersionCount[]> CountByModelVersion();
}

[GenerateSerializer, Immutable, Alias("Enrichment.ModelVersionCount")]
public sealed record ModelVersionCount([property: Id(0)] string VersionId, [property: Id(1)] long Products);
