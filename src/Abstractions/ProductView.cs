namespace Enrichment.Abstractions;

/// <summary>What a query returns about one product.</summary>
[GenerateSerializer, Immutable, Alias("Enrichment.ProductView")]
public sealed record ProductView
{
    [Id(0)] public required string ProductId { get; init; }
    [Id(1)] public required long Version { get; init; }
    [Id(2)] public required string LastEventId { get; init; }
    [Id(3)] public required string Name { get; init; }
    /// <summary>The primary photo (the first of <see cref="Images"/>).</summary>
    [Id(4)] public ImageRef? Image { get; init; }
    [Id(5)] public Dictionary<string, string> KnownAttributes { get; init; } = new();
    [Id(6)] public PredictedEnrichment? Enrichment { get; init; }
    [Id(7)] public DateTimeOffset UpdatedAt { get; init; }
    [Id(8)] public EnrichmentStatus EnrichmentStatus { get; init; }
    /// <summary>Why enrichment is still pending (e.g. no model silo yet), for operators.</summary>
    [Id(9)] public string? EnrichmentNote { get; init; }
    /// <summary>Reviewed attributes with their provenance; their values are also in <see cref="KnownAttributes"/>.</summary>
    [Id(10)] public Dictionary<string, AttributeReview> Reviews { get; init; } = new();
    /// <summary>The last events applied, newest last (at most <see cref="ReviewRules.MaxHistory"/>).</summary>
    [Id(11)] public List<AppliedEvent> RecentEvents { get; init; } = new();
    /// <summary>The product's latest review decisions, oldest first (at most <see cref="ReviewRules.MaxProductReviewHistory"/>; all are in the review log).</summary>
    [Id(12)] public List<ReviewHistoryEntry> ReviewHistory { get; init; } = new();
    /// <summary>Every photo of the product in order, primary first (at most <see cref="ProductPhotos.Max"/>).</summary>
    [Id(13)] public List<ImageRef> Images { get; init; } = new();

    /// <summary>The models' catch-all class: a prediction of it says "none of the classes I know", not a value.</summary>
    public const string OtherClass = "other";

    /// <summary>
    /// Where each attribute's value comes from (catalogue, reviewed, auto-applied, or only suggested). Derived, never
    /// stored: a new model version's predictions carry their own thresholds, so re-enrichment recomputes it.
    /// </summary>
    public Dictionary<string, AttributeProvenance> Provenance =>
        KnownAttributes.Keys.Concat(Enrichment?.Attributes.Keys.AsEnumerable() ?? [])
            .Distinct(StringComparer.Ordinal)
            .Select(name => (Name: name, Provenance: AutoApplyRules.Of(this, name)))
            .Where(p => p.Provenance is not null)
            .ToDictionary(p => p.Name, p => p.Provenance!.Value, StringComparer.Ordinal);

    /// <summary>The values a catalogue team can apply: catalogue and reviewed values, and auto-applied predictions.</summary>
    public Dictionary<string, string> AppliedAttributes()
    {
        var result = new Dictionary<string, string>(KnownAttributes, StringComparer.Ordinal);
        foreach (var (name, predicted) in Enrichment?.Attributes ?? new Dictionary<string, PredictedAttribute>())
        {
            if (AutoApplyRules.Of(this, name) == AttributeProvenance.Auto) result.TryAdd(name, predicted.Value);
        }
        return result;
    }

    /// <summary>Catalogue value where the catalogue gave one, else the model's prediction (unless it is the catch-all).</summary>
    public Dictionary<string, string> EffectiveAttributes()
    {
        var result = new Dictionary<string, string>(KnownAttributes, StringComparer.Ordinal);
        if (Enrichment is not null)
        {
            foreach (var (name, predicted) in Enrichment.Attributes.Where(a => a.Value.Value != OtherClass))
            {
                result.TryAdd(name, predicted.Value);
            }
        }
        return result;
    }
}

public enum EnrichmentStatus
{
    /// <summary>No image to enrich from.</summary>
    None,
    /// <summary>Waiting for a model: queued, retried with backoff while no model silo or version is available.</summary>
    Pending,
    Enriched,
    /// <summary>The image could not be decoded; the enrichment error says why.</summary>
    ImageUnreadable,
}

/// <summary>Attributes predicted from the product photo, with the model version that produced them.</summary>
[GenerateSerializer, Immutable, Alias("Enrichment.PredictedEnrichment")]
public sealed record PredictedEnrichment
{
    [Id(0)] public required string ModelVersion { get; init; }
    [Id(1)] public Dictionary<string, PredictedAttribute> Attributes { get; init; } = new();
    [Id(2)] public string? Caption { get; init; }
    [Id(3)] public DateTimeOffset EnrichedAt { get; init; }
    /// <summary>Why enrichment could not run (e.g. the image does not decode); null on success.</summary>
    [Id(4)] public string? Error { get; init; }
    /// <summary>How many photos the values were pooled from (the caption is the primary's).</summary>
    [Id(5)] public int Photos { get; init; } = 1;
    /// <summary>Photos that could not be read (the values come from the others), or null.</summary>
    [Id(6)] public string? UnreadablePhotos { get; init; }
}

/// <summary>
/// One predicted value with its confidence and, when its model version has one for this attribute and input, the
/// auto-apply threshold it was judged against and the precision measured above it (the trail of an auto-applied value).
/// </summary>
[GenerateSerializer, Immutable, Alias("Enrichment.PredictedAttribute")]
public sealed record PredictedAttribute(
    [property: Id(0)] string Value,
    [property: Id(1)] float Confidence)
{
    /// <summary>"photo" or "photo+name": what the prediction read.</summary>
    [Id(2)] public string? Input { get; init; }
    [Id(3)] public double? AutoApplyThreshold { get; init; }
    /// <summary>Precision measured above the threshold on held-out rows (point estimate; the lower bound is on the version).</summary>
    [Id(4)] public double? MeasuredPrecision { get; init; }
    /// <summary>
    /// Which of the product's photos (0 = primary) drove the value: the one most confident in it. Several photos are
    /// pooled per attribute (see <c>PhotoPooling</c>); with one photo it is 0.
    /// </summary>
    [Id(5)] public int? Photo { get; init; }
}
