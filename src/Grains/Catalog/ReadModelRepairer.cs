using Enrichment.Abstractions;
using Enrichment.Abstractions.Diagnostics;
using Enrichment.Grains.Hosting;
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
    : SiloBackgroundWork
{
    private const int ParallelRepairs = 8;
    private readonly RepeatedFailureLog _failures = new(logger, TimeSpan.FromMinutes(1));

    protected override async Task RunAsync(CancellationToken stopping)
    {
        var o = options.Value;
        using var timer = new PeriodicTimer(o.RepairInterval);
        while (await NextTickAsync(timer, stopping))
        {
            try
            {
                var lost = await readModel.ClaimUnprojectedAsync(o.RepairGrace, o.RepairBatch, o.RepairLease, stopping);
                if (lost.Count == 0)
                {
                    continue;
                }
                await Parallel.ForEachAsync(lost, new ParallelOptions { MaxDegreeOfParallelism = ParallelRepairs, CancellationToken = stopping },
                    async (id, _) => await grains.GetGrain<IProductGrain>(id).RefreshReadModel());
                logger.LogInformation("Repaired the read model rows of {Count} products whose projection was lost", lost.Count);
            }
            catch (Exception ex) when (!stopping.IsCancellationRequested)
            {
                // What was claimed and not repaired comes back when its lease runs out.
                _failures.Report("Repairing lost read-model rows", ex);
            }
        }
    }
}
