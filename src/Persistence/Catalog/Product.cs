using System.Text.Json.Serialization;
using Enrichment.Abstractions;

namespace Enrichment.Persistence.Catalog;

/// <summary>
/// A product inside the cluster: the one type its grain's rules fold events, model answers and reviews into, that
/// storage keeps (JSON in <c>catalog_products.state</c>, or memory) and that the read model indexes. Callers never
/// see it: <see cref="ToView"/> is the one mapping to the wire's <see cref="ProductView"/>, so a new field is added
/// here and, when callers should see it, once in that mapping.
/// </summary>
public sealed record Product
{
    /// <summary>Event ids remembered so a replayed event is recognised as a duplicate.</summary>
    public const int RememberedEventIds = 16;

    public required string ProductId { get; init; }
    public required long Version { get; init; }
    public required string LastEventId { get; init; }
    public required string Name { get; init; }
    /// <summary>The primary photo: captions come from it, the queue item names it, the catalogue shows it first.</summary>
    public ImageRef? Image { get; init; }
    /// <summary>Further photos after the primary, in order; products stored before there were several have none.</summary>
    public List<ImageRef> MoreImages { get; init; } = new();
    public Dictionary<string, string> KnownAttributes { get; init; } = new();
    public PredictedEnrichment? Enrichment { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
    public EnrichmentStatus EnrichmentStatus { get; init; }
    public string? EnrichmentNote { get; init; }
    public Dictionary<string, AttributeReview> Reviews { get; init; } = new();
    public List<AppliedEvent> RecentEvents { get; init; } = new();

    /// <summary>The last <see cref="RememberedEventIds"/> applied event ids, newest last.</summary>
    public List<string> RecentEventIds { get; init; } = new();

    /// <summary>
    /// The latest review decisions, oldest first, at most <see cref="ReviewRules.MaxProductReviewHistory"/> (every one
    /// is also in the review log, written with it): what an undo goes back to.
    /// </summary>
    public List<ReviewStep> ReviewHistory { get; init; } = new();

    /// <summary>How many review history entries this product ever wrote: the next one is numbered one more.</summary>
    public long ReviewEntries { get; init; }

    /// <summary>Waiting for a model: such a product has exactly one enrichment-queue item, written with it.</summary>
    public bool NeedsEnrichment => EnrichmentStatus == EnrichmentStatus.Pending && Image is not null;

    /// <summary>Every photo, primary first.</summary>
    [JsonIgnore] public IReadOnlyList<ImageRef> Images => ProductPhotos.Of(Image, MoreImages);

    public ProductView ToView() => new()
    {
        ProductId = ProductId,
        Version = Version,
        LastEventId = LastEventId,
        Name = Name,
        Image = Image,
        Images = [.. Images],
        KnownAttributes = KnownAttributes,
        Enrichment = Enrichment,
        UpdatedAt = UpdatedAt,
        EnrichmentStatus = EnrichmentStatus,
        EnrichmentNote = EnrichmentNote,
        Reviews = Reviews,
        RecentEvents = RecentEvents,
        ReviewHistory = ReviewHistory.Select(step => step.Entry).ToList(),
    };
}

/// <summary>One review decision kept in the product: the history entry and the attribute's review it replaced, so an undo can restore it.</summary>
public sealed record ReviewStep(ReviewHistoryEntry Entry, AttributeReview? ReviewBefore);
