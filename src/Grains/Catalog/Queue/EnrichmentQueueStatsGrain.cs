using Enrichment.Abstractions;
using Enrichment.Persistence.Queue;
using Microsoft.Extensions.Options;

namespace Enrichment.Grains.Queue;

/// <summary>
/// One activation for the cluster, so the queue is measured once per <see cref="EnrichmentQueueOptions.StatsInterval"/>
/// however many silos export the gauges or consoles are open.
/// </summary>
public sealed class EnrichmentQueueStatsGrain(IEnrichmentQueue queue, IOptions<EnrichmentQueueOptions> options, TimeProvider time)
    : Grain, IEnrichmentQueueStatsGrain
{
    private EnrichmentQueueStats? _latest;
    private DateTimeOffset _measuredAt;

    public async Task<EnrichmentQueueStats> Get()
    {
        var now = time.GetUtcNow();
        if (_latest is null || now - _measuredAt >= options.Value.StatsInterval)
        {
            _latest = await queue.GetStatsAsync();
            _measuredAt = now;
        }
        return _latest;
    }
}
