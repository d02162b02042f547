using Enrichment.Abstractions;
using Enrichment.Persistence.Queue;

namespace Enrichment.Grains.Queue;

/// <summary>The embedded default's enrichment queue, shared by every silo of a cluster through one activation.</summary>
[Alias("Enrichment.IEnrichmentQueueGrain")]
public interface IEnrichmentQueueGrain : IGrainWithIntegerKey
{
    [Alias("Enqueue")] Task Enqueue(string productId, string imageSha256, bool restart);
    [Alias("Claim")] Task<IReadOnlyList<EnrichmentWorkItem>> Claim(int max, string owner, TimeSpan lease);
    [Alias("Complete")] Task Complete(IReadOnlyList<EnrichmentWorkItem> items);
    [Alias("Retry")] Task Retry(IReadOnlyList<EnrichmentRetry> retries);
    [Alias("Stats")] Task<EnrichmentQueueStats> Stats();
}

/// <summary>
/// Holds <see cref="InMemoryEnrichmentQueue"/> for a cluster on memory storage. Always active: idle collection would
/// drop the queue with the activation. Like memory grain storage, it lives as long as the silo that hosts it.
/// </summary>
[CollectionAgeLimit(AlwaysActive = true)]
public sealed class EnrichmentQueueGrain(TimeProvider time) : Grain, IEnrichmentQueueGrain
{
    private readonly InMemoryEnrichmentQueue _queue = new(time);

    public Task Enqueue(string productId, string imageSha256, bool restart) => _queue.EnqueueAsync(productId, imageSha256, restart);

    public Task<IReadOnlyList<EnrichmentWorkItem>> Claim(int max, string owner, TimeSpan lease) => _queue.ClaimAsync(max, owner, lease);

    public Task Complete(IReadOnlyList<EnrichmentWorkItem> items) => _queue.CompleteAsync(items);

    public Task Retry(IReadOnlyList<EnrichmentRetry> retries) => _queue.RetryAsync(retries);

    public Task<EnrichmentQueueStats> Stats() => _queue.GetStatsAsync();
}

/// <summary><see cref="IEnrichmentQueue"/> over <see cref="IEnrichmentQueueGrain"/>, for silos on memory storage.</summary>
public sealed class GrainEnrichmentQueue(IGrainFactory grains) : IEnrichmentQueue
{
    private IEnrichmentQueueGrain Queue => grains.GetGrain<IEnrichmentQueueGrain>(0);

    public Task EnqueueAsync(string productId, string imageSha256, bool restart, CancellationToken ct = default) =>
        Queue.Enqueue(productId, imageSha256, restart);

    public Task<IReadOnlyList<EnrichmentWorkItem>> ClaimAsync(int max, string owner, TimeSpan lease, CancellationToken ct = default) =>
        Queue.Claim(max, owner, lease);

    public Task CompleteAsync(IReadOnlyList<EnrichmentWorkItem> items, CancellationToken ct = default) => Queue.Complete(items);

    public Task RetryAsync(IReadOnlyList<EnrichmentRetry> retries, CancellationToken ct = default) => Queue.Retry(retries);

    public Task<EnrichmentQueueStats> GetStatsAsync(CancellationToken ct = default) => Queue.Stats();
}
