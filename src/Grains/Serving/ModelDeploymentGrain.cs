using Enrichment.Abstractions;
using Enrichment.Grains.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Enrichment.Grains.Serving;

public sealed class ModelDeploymentGrain(IModelSwapClient swaps, EnrichmentMetrics metrics, ILogger<ModelDeploymentGrain> logger)
    : Grain, IModelDeploymentGrain
{
    public async Task<SiloModelStatus[]> Deploy(string versionId)
    {
        // Registry first: a silo that misses the broadcast (or joins later) converges on this by reconciliation.
        var version = await GrainFactory.GetGrain<IModelRegistryGrain>(0).SetCurrent(versionId);
        var report = await swaps.SwapEverywhere(version);
        metrics.Deployment(report.Any(s => s.Error is not null) ? "partial" : "complete");
        logger.LogInformation("Deployed {ModelVersion}: {Silos}", versionId,
            string.Join(", ", report.Where(s => s.HasAccelerator).Select(s => $"{s.Silo}={s.ServedVersion}{(s.Error is null ? "" : " (" + s.Error + ")")}")));
        return report;
    }

    public Task<SiloModelStatus[]> Status() => swaps.StatusEverywhere();
}
