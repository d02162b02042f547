using Enrichment.Abstractions;

namespace Enrichment.Grains.Products;

/// <summary>
/// A product as storage keeps it: the grain's own records, mapped to and from the wire's <see cref="ProductView"/>,
/// so a change to the API is not a storage migration (and a stored field the API drops stays readable).
/// </summary>
[GenerateSerializer, Immutable, Alias("Enrichment.StoredProduct")]
public sealed record StoredProduct
{
    [Id(0)] public required string ProductId { get; init; }
    [Id(1)] public required long Version { get; init; }
    [Id(2)] public required string LastEventId { get; init; }
    [Id(3)] public required string Name { get; init; }
    [Id(4)] public StoredImage? Image { get; init; }
    [Id(5)] public Dictionary<string, string> KnownAttributes { get; init; } = new();
    [Id(6)] public StoredEnrichment? Enrichment { get; init; }
    [Id(7)] public DateTimeOffset UpdatedAt { get; init; }
    [Id(8)] public EnrichmentStatus EnrichmentStatus { get; init; }
    [Id(9)] public string? EnrichmentNote { get; init; }
    [Id(10)] public Dictionary<string, StoredReview> Reviews { get; init; } = new();
    [Id(11)] public List<StoredAppliedEvent> RecentEvents { get; init; } = new();

    public static StoredProduct From(ProductView view) => new()
    {
        ProductId = view.ProductId,
        Version = view.Version,
        LastEventId = view.LastEventId,
        Name = view.Name,
        Image = view.Image is { } image ? new StoredImage(image.Sha256, image.Length, image.ContentType) : null,
        KnownAttributes = new(view.KnownAttributes),
        Enrichment = view.Enrichment is { } e
            ? new StoredEnrichment
            {
                ModelVersion = e.ModelVersion,
                Attributes = e.Attributes.ToDictionary(a => a.Key, a => new StoredPrediction(a.Value.Value, a.Value.Confidence)),
                Caption = e.Caption,
                EnrichedAt = e.EnrichedAt,
                Error = e.Error,
            }
            : null,
        UpdatedAt = view.UpdatedAt,
        EnrichmentStatus = view.EnrichmentStatus,
        EnrichmentNote = view.EnrichmentNote,
        Reviews = view.Reviews.ToDictionary(r => r.Key, r => StoredReview.From(r.Value)),
        RecentEvents = view.RecentEvents.Select(e => new StoredAppliedEvent(e.EventId, e.Version, e.At)).ToList(),
    };

    public ProductView ToView() => new()
    {
        ProductId = ProductId,
        Version = Version,
        LastEventId = LastEventId,
        Name = Name,
        Image = Image is { } image ? new ImageRef(image.Sha256, image.Length, image.ContentType) : null,
        KnownAttributes = new(KnownAttributes),
        Enrichment = Enrichment is { } e
            ? new PredictedEnrichment
            {
                ModelVersion = e.ModelVersion,
                Attributes = e.Attributes.ToDictionary(a => a.Key, a => new PredictedAttribute(a.Value.Value, a.Value.Confidence)),
                Caption = e.Caption,
                EnrichedAt = e.EnrichedAt,
                Error = e.Error,
            }
            : null,
        UpdatedAt = UpdatedAt,
        EnrichmentStatus = EnrichmentStatus,
        EnrichmentNote = EnrichmentNote,
        Reviews = Reviews.ToDictionary(r => r.Key, r => r.Value.ToView()),
        RecentEvents = RecentEvents.Select(e => new AppliedEvent(e.EventId, e.Version, e.At)).ToList(),
    };
}

[GenerateSerializer, Immutable, Alias("Enrichment.StoredReview")]
public sealed record StoredReview
{
    [Id(0)] public required string Value { get; init; }
    [Id(1)] public required string By { get; init; }
    [Id(2)] public DateTimeOffset At { get; init; }
    [Id(3)] public string? CatalogueBefore { get; init; }
    [Id(4)] public string? ModelValue { get; init; }
    [Id(5)] public float? ModelConfidence { get; init; }
    [Id(6)] public string? ModelVersion { get; init; }
    [Id(7)] public string? Note { get; init; }
    [Id(8)] public bool AcceptedModel { get; init; }

    public static StoredReview From(AttributeReview review) => new()
    {
        Value = review.Value, By = review.By, At = review.At, CatalogueBefore = review.CatalogueBefore, ModelValue = review.ModelValue,
        ModelConfidence = review.ModelConfidence, ModelVersion = review.ModelVersion, Note = review.Note, AcceptedModel = review.AcceptedModel,
    };

    public AttributeReview ToView() => new()
    {
        Value = Value, By = By, At = At, CatalogueBefore = CatalogueBefore, ModelValue = ModelValue,
        ModelConfidence = ModelConfidence, ModelVersion = ModelVersion, Note = Note, AcceptedModel = AcceptedModel,
    };
}

[GenerateSerializer, Immutable, Alias("Enrichment.StoredAppliedEvent")]
public sealed record StoredAppliedEvent([property: Id(0)] string EventId, [property: Id(1)] long Version, [property: Id(2)] DateTimeOffset At);

[GenerateSerializer, Immutable, Alias("Enrichment.StoredImage")]
public sealed record StoredImage([property: Id(0)] string Sha256, [property: Id(1)] int Length, [property: Id(2)] string ContentType);

[GenerateSerializer, Immutable, Alias("Enrichment.StoredEnrichment")]
public sealed record StoredEnrichment
{
    [Id(0)] public required string ModelVersion { get; init; }
    [Id(1)] public Dictionary<string, StoredPrediction> Attributes { get; init; } = new();
    [Id(2)] public string? Caption { get; init; }
    [Id(3)] public DateTimeOffset EnrichedAt { get; init; }
    [Id(4)] public string? Error { get; init; }
}

[GenerateSerializer, Immutable, Alias("Enrichment.StoredPrediction")]
public sealed record StoredPrediction([property: Id(0)] string Value, [property: Id(1)] float Confidence);
