using Enrichment.Abstractions;

namespace Enrichment.Persistence.Queue;

/// <summary>
/// Durable list of products waiting for a model: at most one item per product, written with the product's own change
/// (<see cref="Catalog.IProductStore"/>: an item exists exactly while its product waits), claimed under a lease by the
/// accelerator silos at the rate their model hosts serve. A lease that runs out (its silo died) makes the item due
/// again, so work moves to the silos that are alive. PostgreSQL on the real store, memory on the embedded default;
/// both are held to the same contract tests.
/// </summary>
public interface IEnrichmentQueue
{
    /// <summary>
    /// Leases up to <paramref name="max"/> due items of one <paramref name="cost"/> class, oldest due first; none are
    /// returned to two claimants at once.
    /// </summary>
    Task<IReadOnlyList<EnrichmentWorkItem>> ClaimAsync(int max, string owner, TimeSpan lease,
        PhotoCost cost = PhotoCost.Ordinary, CancellationToken ct = default);

    /// <summary>Removes items whose claim is still current; an item queued afresh meanwhile stays.</summary>
    Task CompleteAsync(IReadOnlyList<EnrichmentWorkItem> items, CancellationToken ct = default);

    /// <summary>Makes claimed items due again after their delay, or parks them (no delay) until queued afresh.</summary>
    Task RetryAsync(IReadOnlyList<EnrichmentRetry> retries, CancellationToken ct = default);

    Task<EnrichmentQueueStats> GetStatsAsync(CancellationToken ct = default);
}

/// <summary>
/// The queue's two classes: a product whose photos cost more to decode than the store's threshold
/// (<see cref="ImageRef.DecodePixels"/>, <see cref="DecodeCost"/>) waits among the expensive ones, which are claimed apart.
/// </summary>
public enum PhotoCost
{
    Ordinary,
    Expensive,
}

public static class PhotoCostRule
{
    /// <summary>A decode of more than this many pixels is expensive by default (a 2000x2000 PNG; a baseline JPEG never is).</summary>
    public const long DefaultExpensivePixels = 4_000_000;

    /// <summary>A product's class: every one of its photos is decoded for one enrichment, so their costs add up.</summary>
    public static PhotoCost Of(IReadOnlyList<ImageRef> photos, long expensivePixels) =>
        photos.Sum(p => p.DecodePixels) > expensivePixels ? PhotoCost.Expensive : PhotoCost.Ordinary;
}
