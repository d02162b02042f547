using Enrichment.Abstractions.Diagnostics;
using Enrichment.Abstractions;
using Enrichment.Grains.Diagnostics;
using Enrichment.Grains.Hosting;
using Enrichment.Grains.Products;
using Enrichment.Grains.Serving;
using Enrichment.Persistence.Queue;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Runtime.MembershipService.SiloMetadata;

namespace Enrichment.Grains.Queue;

/// <summary>
/// Runs on every accelerator silo: claims queued products, predicts them on this silo's model host and hands each
/// answer to its product grain. Each lane claims its next batch only when the last one is done, so a silo pulls
/// exactly as fast as its model serves; a silo that joins starts pulling at once, and a dead silo's leases run
/// out and its items go to the others. With no accelerator silo up nothing runs at all, whatever the backlog.
/// </summary>
public sealed class EnrichmentPump(
    IEnrichmentQueue queue,
    ModelHost host,
    IGrainFactory grains,
    ILocalSiloDetails silo,
    IOptions<SiloMetadata> metadata,
    IOptions<EnrichmentQueueOptions> options,
    EnrichmentMetrics metrics,
    TimeProvider time,
    ILogger<EnrichmentPump> logger) : SiloBackgroundWork
{
    private static readonly TimeSpan MinIdlePoll = TimeSpan.FromMilliseconds(50);
    private readonly EnrichmentQueueOptions _options = options.Value;
    private readonly RepeatedFailureLog _failures = new(logger, TimeSpan.FromSeconds(30));
    protected override bool RunsOnThisSilo => metadata.Value.Metadata.ContainsKey(AcceleratorPlacementFilterDirector.MetadataKey);

    /// <remarks>On stop a lane finishes the batch it holds; what it cannot finish is released when its lease runs out.</remarks>
    protected override Task RunAsync(CancellationToken stopping) =>
        Task.WhenAll(Enumerable.Range(0, _options.Lanes).Select(_ => Task.Run(() => LaneAsync(stopping))));

    private async Task LaneAsync(CancellationToken stopping)
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
                var items = await queue.ClaimAsync(_options.ClaimSize, owner, _options.Lease, stopping);
                if (items.Count == 0)
                {
                    await Task.Delay(idle, stopping);
                    idle = Doubled(idle, _options.IdlePollMax);
                    continue;
                }
                idle = MinIdlePoll;
                var outcomes = await Task.WhenAll(items.Select(item => ProcessAsync(item, owner)));
                // Finished work is recorded even while the silo stops; otherwise it would be redone after the lease.
                await queue.CompleteAsync(outcomes.Where(o => o.Retry is null).Select(o => o.Item).ToList(), CancellationToken.None);
                var retries = outcomes.Where(o => o.Retry is not null).Select(o => o.Retry!).ToList();
                await queue.RetryAsync(retries, CancellationToken.None);
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

    private async Task<(EnrichmentWorkItem Item, EnrichmentRetry? Retry)> ProcessAsync(EnrichmentWorkItem item, string owner)
    {
        try
        {
            var product = grains.GetGrain<IProductGrain>(item.ProductId);
            var blob = await grains.GetGrain<IImageGrain>(item.ImageSha256).Get();
            var result = blob is null
                ? ModelResult.Failed(ModelResultStatus.BadImage, $"image {item.ImageSha256} is not in the image store")
                : ModelGrain.ToResult(await host.PredictAsync(new ModelRequest(blob.Bytes, await product.NameForEnrichment())), owner);
            metrics.Enrichment(result.Status.ToString());
            var completion = await product.CompleteEnrichment(item.ImageSha256, result);
            return (item, WorkItemRules.After(item, completion, ProductEnrichment.WaitingNote(result), time.GetUtcNow(), _options));
        }
        catch (Exception ex)
        {
            metrics.Enrichment("Error");
            _failures.Report("Enriching a queued product", ex);
            return (item, WorkItemRules.AfterFailure(item, ex, _options));
        }
    }
}
