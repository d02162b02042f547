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
    /// <summary>Leases up to <paramref name="max"/> due items, oldest due first; none are returned to two claimants at once.</summary>
    Task<IReadOnlyList<EnrichmentWorkItem>> ClaimAsync(int max, string owner, TimeSpan lease, CancellationToken ct = default);

    /// <summary>Removes items whose claim is still current; an item queued afresh meanwhile stays.</summary>
    Task CompleteAsync(IReadOnlyList<EnrichmentWorkItem> items, CancellationToken ct = default);

    /// <summary>Makes claimed items due again after their delay, or parks them (no delay) until queued afresh.</summary>
    Task RetryAsync(IReadOnlyList<EnrichmentRetry> retries, CancellationToken ct = default);

    Task<EnrichmentQueueStats> GetStatsAsync(CancellationToken ct = default);
}
