namespace Enrichment.Abstractions;

/// <summary>One catalogue product, keyed by product id.</summary>
[Alias("Enrichment.IProductGrain")]
public interface IProductGrain : IGrainWithStringKey
{
    [Alias("Apply")] Task<ApplyResult> Apply(ProductEvent productEvent);

    /// <summary>Null when no event for this id was ever accepted.</summary>
    [Alias("Get")] Task<ProductView?> Get();

    /// <summary>
    /// Queues the product for enrichment (on demand, or again after a model swap) and returns it, now Pending;
    /// with <paramref name="force"/> false a product already enriched is left as is.
    /// </summary>
    [Alias("Enrich")] Task<ProductView?> Enrich(bool force);

    /// <summary>
    /// Predicts the product from <paramref name="imageSha256"/> (the photo its queue item was claimed for) on the model
    /// grain of <paramref name="modelSilo"/> (the claiming accelerator silo, <see cref="IModelGrain"/>'s key) and stores
    /// the answer; a final answer removes the product's queue item in the same write. Called by the enrichment
    /// queue's workers, which read the claimed batch's products in one query and hand each its own
    /// (<paramref name="stored"/>): a fresh activation starts from it instead of reading again. The product stays the
    /// only writer of its state: a snapshot overtaken by a newer write fails that write's revision guard.
    /// </summary>
    [Alias("EnrichFrom")] Task<EnrichmentAttempt> EnrichFrom(string imageSha256, string modelSilo, ProductSnapshot? stored = null);

    /// <summary>A reviewer accepts or corrects a predicted attribute; the value becomes the catalogue's, with provenance.</summary>
    [Alias("Review")] Task<ReviewOutcome> Review(AttributeReviewRequest request);

    /// <summary>Takes back the attribute's latest review (the value and provenance before it return); recorded as history itself.</summary>
    [Alias("UndoReview")] Task<ReviewOutcome> UndoReview(UndoReviewRequest request);
}

/// <summary>
/// The review log: every review decision of every product, newest first for people and in (product, entry) order for
/// exports. Reads only; product grains write it with their own change (one write).
/// </summary>
[Alias("Enrichment.IReviewLogGrain")]
public interface IReviewLogGrain : IGrainWithIntegerKey
{
    /// <summary>Up to <paramref name="limit"/> entries older than the cursor <paramref name="before"/> (null: the newest), of one product or all.</summary>
    [Alias("History")] Task<ReviewHistoryPage> History(string? before, int limit, string? productId);

    /// <summary>Up to <paramref name="limit"/> entries after the cursor <paramref name="after"/> in (product, entry) order: a page of the export.</summary>
    [Alias("Export")] Task<ReviewHistoryPage> Export(string? after, int limit);
}

public enum EnrichmentCompletion
{
    /// <summary>Stored: the product is enriched (or marked unreadable).</summary>
    Applied,
    /// <summary>The product no longer waits for this image (changed, gone, or already done): drop the work item.</summary>
    Obsolete,
    /// <summary>The answer means "later" (busy, no model): keep the work item and retry with backoff.</summary>
    Retry,
    /// <summary>No product is stored under this id (its queue item outlived it): drop the work item.</summary>
    NotFound,
}

/// <summary>A product as storage held it when a batch read it: its revision and its stored form, opaque to callers.</summary>
[GenerateSerializer, Immutable, Alias("Enrichment.ProductSnapshot")]
public sealed record ProductSnapshot([property: Id(0)] long Revision, [property: Id(1)] string State);

/// <summary>What became of one enrichment: the product's answer and, when a model answered, how.</summary>
/// <param name="ModelStatus">The model's answer; null when the product did not ask (nothing to do).</param>
/// <param name="Waiting">What the product waits for when <paramref name="Completion"/> is <see cref="EnrichmentCompletion.Retry"/>.</param>
[GenerateSerializer, Immutable, Alias("Enrichment.EnrichmentAttempt")]
public sealed record EnrichmentAttempt(
    [property: Id(0)] EnrichmentCompletion Completion,
    [property: Id(1)] ModelResultStatus? ModelStatus = null,
    [property: Id(2)] string? Waiting = null);

public enum ApplyOutcome
{
    Applied,
    /// <summary>The same event id was already applied.</summary>
    Duplicate,
    /// <summary>A newer version, or the same version with the same content, is already stored.</summary>
    Stale,
    /// <summary>
    /// The same version is stored with different content: two events claim one version. Nothing changes; the sender
    /// learns that its versions are not unique (and must send the intended content with a newer version).
    /// </summary>
    Conflict,
    /// <summary>
    /// The event breaks a rule (<see cref="ProductEventValidator"/>): nothing is stored, and
    /// <see cref="ApplyResult.Reason"/> says why. An answer, not an exception, so a bug's exception is never
    /// mistaken for the sender's fault.
    /// </summary>
    Rejected,
}

[GenerateSerializer, Immutable, Alias("Enrichment.ApplyResult")]
public sealed record ApplyResult(
    [property: Id(0)] ApplyOutcome Outcome,
    [property: Id(1)] long StoredVersion,
    [property: Id(2)] string? Reason = null)
{
    public static ApplyResult Rejected(string reason) => new(ApplyOutcome.Rejected, -1, reason);
}
