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
    /// Folds a model's answer for <paramref name="imageSha256"/> into the product. Called by the enrichment queue's
    /// workers on accelerator silos; the product stays the only writer of its state.
    /// </summary>
    [Alias("CompleteEnrichment")] Task<EnrichmentCompletion> CompleteEnrichment(string imageSha256, ModelResult result);

    /// <summary>
    /// The product's name as a model reads it (null when nothing is stored yet): the enrichment queue's workers ask for
    /// it just before predicting, so a prediction reads the name the product has then.
    /// </summary>
    [Alias("NameForEnrichment")] Task<string?> NameForEnrichment();

    /// <summary>A reviewer accepts or corrects a predicted attribute; the value becomes the catalogue's, with provenance.</summary>
    [Alias("Review")] Task<ReviewOutcome> Review(AttributeReviewRequest request);

    /// <summary>Writes what the product has stored into the read model again (repair after a silo died mid-write).</summary>
    [Alias("RefreshReadModel")] Task RefreshReadModel();
}

public enum EnrichmentCompletion
{
    /// <summary>Stored: the product is enriched (or marked unreadable).</summary>
    Applied,
    /// <summary>The product no longer waits for this image (changed, gone, or already done): drop the work item.</summary>
    Obsolete,
    /// <summary>The answer means "later" (busy, no model): keep the work item and retry with backoff.</summary>
    Retry,
    /// <summary>
    /// No state is stored for the product (yet): its first event may still be on its way to storage, or this answer
    /// reached a stale activation while a silo died. Retried until a grace period has passed, then dropped.
    /// </summary>
    NotFound,
}

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
