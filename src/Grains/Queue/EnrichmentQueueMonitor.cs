using Enrichment.Abstractions.Diagnostics;
using Enrichment.Abstractions;
using Enrichment.Grains.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Enrichment.Grains.Queue;

/// <summary>Keeps this silo's queue gauges (depth, parked, age of the oldest item) current for its /metrics.</summary>
public sealed class EnrichmentQueueMonitor(
    IGrainFactory grains, IOptions<EnrichmentQueueOptions> options, EnrichmentMetrics metrics, ILogger<EnrichmentQueueMonitor> logger)
    : ILifecycleParticipant<ISiloLifecycle>
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly RepeatedFailureLog _failures = new(logger, TimeSpan.FromMinutes(1));
    private Task _loop = Task.CompletedTask;
    private EnrichmentQueueStats? _latest;

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(EnrichmentQueueMonitor), ServiceLifecycleStage.Active, StartAsync, StopAsync);

    private Task StartAsync(CancellationToken ct)
    {
        metrics.ObserveQueue(() => Volatile.Read(ref _latest));
        _loop = Task.Run(LoopAsync);
        return Task.CompletedTask;
    }

    private async Task StopAsync(CancellationToken ct)
    {
        await _stopping.CancelAsync();
        await _loop.WaitAsync(ct).ContinueWith(_ => { }, TaskScheduler.Default);
    }

    private async Task LoopAsync()
    {
        using var timer = new PeriodicTimer(options.Value.StatsInterval);
        do
        {
            try
            {
                Volatile.Write(ref _latest, await grains.GetGrain<IEnrichmentQueueStatsGrain>(0).Get());
            }
            catch (Exception ex) when (!_stopping.IsCancellationRequested)
            {
                _failures.Report("Reading the enrichment queue's size", ex);
            }
        }
        while (await WaitAsync(timer));
    }

    private async Task<bool> WaitAsync(PeriodicTimer timer)
    {
        try
        {
            return await timer.WaitForNextTickAsync(_stopping.Token);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
