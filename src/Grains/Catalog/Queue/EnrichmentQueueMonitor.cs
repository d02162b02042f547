using Enrichment.Abstractions.Diagnostics;
using Enrichment.Abstractions;
using Enrichment.Grains.Diagnostics;
using Enrichment.Grains.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Enrichment.Grains.Queue;

/// <summary>Keeps this silo's queue gauges (depth, parked, age of the oldest item) current for its /metrics.</summary>
public sealed class EnrichmentQueueMonitor(
    IGrainFactory grains, IOptions<EnrichmentQueueOptions> options, EnrichmentMetrics metrics, ILogger<EnrichmentQueueMonitor> logger)
    : SiloBackgroundWork
{
    private readonly RepeatedFailureLog _failures = new(logger, TimeSpan.FromMinutes(1));
    private EnrichmentQueueStats? _latest;

    protected override async Task RunAsync(CancellationToken stopping)
    {
        metrics.ObserveQueue(() => Volatile.Read(ref _latest));
        using var timer = new PeriodicTimer(options.Value.StatsInterval);
        do
        {
            try
            {
                Volatile.Write(ref _latest, await grains.GetGrain<IEnrichmentQueueStatsGrain>(0).Get());
            }
            catch (Exception ex) when (!stopping.IsCancellationRequested)
            {
                _failures.Report("Reading the enrichment queue's size", ex);
            }
        }
        while (await NextTickAsync(timer, stopping));
    }
}
