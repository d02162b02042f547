using Enrichment.Abstractions;

namespace Enrichment.TestSupport;

/// <summary>Watches the enrichment queue the way an operator does (the stats grain), never by reading products.</summary>
public static class EnrichmentQueueProbe
{
    public static Task<EnrichmentQueueStats> StatsAsync(IGrainFactory grains) => grains.GetGrain<IEnrichmentQueueStatsGrain>(0).Get();

    /// <summary>Waits until nothing is queued or parked; fails with the last figures after <paramref name="timeout"/>.</summary>
    public static Task DrainedAsync(IGrainFactory grains, TimeSpan timeout) =>
        UntilAsync(grains, s => s.Depth == 0 && s.Parked == 0, timeout, "drained");

    /// <summary>Waits until the figures (measured at most a stats interval ago) satisfy <paramref name="done"/>.</summary>
    public static async Task<EnrichmentQueueStats> UntilAsync(IGrainFactory grains, Func<EnrichmentQueueStats, bool> done, TimeSpan timeout, string what)
    {
        return await Eventually.Get(() => StatsAsync(grains), done, timeout, $"the enrichment queue to be {what}", TimeSpan.FromMilliseconds(250),
            stats => $"depth {stats.Depth}, parked {stats.Parked}");
    }
}
