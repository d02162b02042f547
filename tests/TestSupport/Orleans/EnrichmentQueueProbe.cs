using Enrichment.Abstractions;

namespace Enrichment.TestSupport;

/// <summary>Watches the enrichment queue the way an operator does (the stats grain), never by reading products.</summary>
public static class EnrichmentQueueProbe
{
    public static Task<EnrichmentQueueStats> StatsAsync(IGrainFactory grains) => grains.GetGrain<IEnrichmentQueueStatsGrain>(0).Get();

    /// <summary>Waits until nothing is queued or parked; fails with the last figures after <paramref name="timeout"/>.</summary>
    public static async Task DrainedAsync(IGrainFactory grains, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var stats = await StatsAsync(grains);
            if (stats.Depth == 0 && stats.Parked == 0)
            {
                return;
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"enrichment queue not drained after {timeout}: depth {stats.Depth}, parked {stats.Parked}");
            }
            await Task.Delay(250);
        }
    }
}
