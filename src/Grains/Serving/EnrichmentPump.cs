using Enrichment.Grains.Placement;
using Enrichment.Abstractions.Diagnostics;
using Enrichment.Abstractions;
using Enrichment.Grains.Diagnostics;
using Enrichment.Grains.Hosting;
using Enrichment.Grains.Serving;
using Enrichment.Persistence.Catalog;
using Enrichment.Persistence.Images;
using Enrichment.Persistence.Queue;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Runtime.MembershipService.SiloMetadata;

namespace Enrichment.Grains.Queue;

/// <summary>
/// Runs on every accelerator silo: claims queued products, reads their photos in one batch and hands each item to its
/// product grain, which asks this silo's model grain (keyed by this silo) and stores the answer. Each lane claims its
/// next batch only when the last one is done, so a silo pulls exactly as fast as its model serves; a silo that joins
/// starts pulling at once, and a dead silo's leases run out and its items go to the others. With no accelerator silo
/// up nothing runs at all, whatever the backlog. Photos that are expensive to decode (<see cref="PhotoCost"/>) have lanes
/// of their own that take one at a time, so a flood of them holds up ordinary photos by at most one decode per such lane.
/// </summary>
public sealed class EnrichmentPump(
    IEnrichmentQueue queue,
    IImageStore photos,
    IProductStore products,
    ClaimedPhotos claimed,
    ModelHost host,
    IGrainFactory grains,
    ILocalSiloDetails silo,
    IOptions<SiloMetadata> metadata,
    IOptions<EnrichmentQueueOptions> options,
    EnrichmentMetrics metrics,
    ILogger<EnrichmentPump> logger) : SiloBackgroundWork
{
    private static readonly TimeSpan MinIdlePoll = TimeSpan.FromMilliseconds(50);
    private readonly EnrichmentQueueOptions _options = options.Value;
    private readonly RepeatedFailureLog _failures = new(logger, TimeSpan.FromSeconds(30));
    protected override bool RunsOnThisSilo => metadata.Value.Metadata.ContainsKey(AcceleratorPlacementFilterDirector.MetadataKey);

    /// <remarks>On stop a lane finishes the batch it holds; what it cannot finish is released when its lease runs out.</remarks>
    protected override Task RunAsync(CancellationToken stopping) =>
        Task.WhenAll(Enumerable.Range(0, _options.Lanes).Select(_ => Task.Run(() => LaneAsync(PhotoCost.Ordinary, _options.ClaimSize, stopping)))
            .Concat(Enumerable.Range(0, _options.ExpensiveLanes).Select(_ => Task.Run(() => LaneAsync(PhotoCost.Expensive, 1, stopping)))));

    private async Task LaneAsync(PhotoCost cost, int claimSize, CancellationToken stopping)
    {
        // This silo, as claims record it and as model results name it.
        var owner = silo.SiloAddress.ToString();
        var idle = MinIdlePoll;
        var failureDelay = _options.RetryInitialDelay;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await host.WaitForModelAsync(stopping);
                var items = await queue.ClaimAsync(claimSize, owner, _options.Lease, cost, stopping);
                if (items.Count == 0)
                {
                    await Task.Delay(idle, stopping);
                    idle = Doubled(idle, _options.IdlePollMax);
                    continue;
                }
                idle = MinIdlePoll;
                var outcomes = await ProcessBatchAsync(items, stopping);
                // Finished work is recorded even while the silo stops; otherwise it would be redone after the lease.
                var done = outcomes.Where(o => o.Next == WorkItemNext.Remove).Select(o => o.Item).ToList();
                if (done.Count > 0)
                {
                    await queue.CompleteAsync(done, CancellationToken.None);
                }
                var retries = outcomes.Where(o => o.Retry is not null).Select(o => o.Retry!).ToList();
                if (retries.Count > 0)
                {
                    await queue.RetryAsync(retries, CancellationToken.None);
                }
                var parked = retries.Count(r => r.Delay is null);
                if (parked > 0)
                {
                    logger.LogWarning("Parked {Count} enrichment item(s) after {MaxAttempts} attempts; last error: {Error}",
                        parked, _options.MaxAttempts, retries.First(r => r.Delay is null).BoundedError);
                }
                failureDelay = _options.RetryInitialDelay;
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // The queue itself is unreachable (storage down): back off; claimed items return when their leases end.
                _failures.Report("Claiming enrichment work", ex);
                try
                {
                    await Task.Delay(failureDelay, stopping);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                failureDelay = Doubled(failureDelay, _options.RetryMaxDelay);
            }
        }
    }

    private static TimeSpan Doubled(TimeSpan delay, TimeSpan max) => TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, max.Ticks));

    /// <summary>
    /// The batch's products and photos are read at once: each product grain is handed its own row (a fresh activation
    /// need not read it again), and the photos are held on this silo, where its model grain reads them.
    /// </summary>
    private async Task<(EnrichmentWorkItem Item, WorkItemNext Next, EnrichmentRetry? Retry)[]> ProcessBatchAsync(
        IReadOnlyList<EnrichmentWorkItem> items, CancellationToken stopping)
    {
        var stored = await products.ReadManyAsync(items.Select(i => i.ProductId).ToList(), stopping);
        var batch = await photos.GetManyAsync(items.Select(i => i.ImageSha256).ToList(), stopping);
        claimed.Hold(batch);
        try
        {
            var model = SiloKeyedPlacement.KeyOf(silo.SiloAddress);
            return await Task.WhenAll(items.Select(item => ProcessAsync(item, model,
                stored.TryGetValue(item.ProductId, out var record) ? new ProductSnapshot(record.Revision, ProductJson.Write(record.Product)) : null)));
        }
        finally
        {
            claimed.Release(batch.Keys);
        }
    }

    private async Task<(EnrichmentWorkItem Item, WorkItemNext Next, EnrichmentRetry? Retry)> ProcessAsync(
        EnrichmentWorkItem item, string model, ProductSnapshot? stored)
    {
        try
        {
            var attempt = await grains.GetGrain<IProductGrain>(item.ProductId).EnrichFrom(item.ImageSha256, model, stored);
            metrics.Enrichment(attempt.ModelStatus?.ToString() ?? attempt.Completion.ToString());
            var next = WorkItemRules.Next(attempt.Completion);
            return (item, next, next == WorkItemNext.Retry ? WorkItemRules.Later(item, attempt.Waiting ?? attempt.Completion.ToString(), _options) : null);
        }
        catch (Exception ex)
        {
            metrics.Enrichment("Error");
            _failures.Report("Enriching a queued product", ex);
            return (item, WorkItemNext.Retry, WorkItemRules.AfterFailure(item, ex, _options));
        }
    }
}
