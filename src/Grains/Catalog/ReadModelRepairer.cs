using Enrichment.Abstractions;
using Enrichment.Abstractions.Diagnostics;
using Enrichment.Persistence.Catalog;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Enrichment.Grains.Catalog;

/// <summary>
/// Finds products whose change was noted but never projected (their silo died between the state write and the
/// projection) and has each product project what it stored. Runs on every silo; claims keep them from doubling up.
/// </summary>
public sealed class ReadModelRepairer(
    ICatalogReadModel readModel, IGrainFactory grains, IOptions<ReadModelOptions> options, ILogger<ReadModelRepairer> logger)
    : ILifecycleParticipant<ISiloLifecycle>
{
    private const int ParallelRepairs = 8;
    private readonly CancellationTokenSource _stopping = new();
    private readonly RepeatedFailureLog _failures = new(logger, TimeSpan.FromMinutes(1));
    private Task _loop = Task.CompletedTask;

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(ReadModelRepairer), ServiceLifecycleStage.Active, StartAsync, StopAsync);

    private Task StartAsync(CancellationToken ct)
    {
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
        var o = options.Value;
        using var timer = new PeriodicTimer(o.RepairInterval);
        while (await WaitAsync(timer))
        {
            try
            {
                var lost = await readModel.ClaimUnprojectedAsync(o.RepairGrace, o.RepairBatch, o.RepairLease, _stopping.Token);
                if (lost.Count == 0)
                {
                    continue;
                }
                await Parallel.ForEachAsync(lost, new ParallelOptions { MaxDegreeOfParallelism = ParallelRepairs, CancellationToken = _stopping.Token },
                    async (id, _) => await grains.GetGrain<IProductGrain>(id).RefreshReadModel());
                logger.LogInformation("Repaired the read model rows of {Count} products whose projection was lost", lost.Count);
            }
            catch (Exception ex) when (!_stopping.IsCancellationRequested)
            {
                // What was claimed and not repaired comes back when its lease runs out.
                _failures.Report("Repairing lost read-model rows", ex);
            }
        }
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
