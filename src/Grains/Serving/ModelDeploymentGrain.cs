using Enrichment.Abstractions;
using Enrichment.Grains.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Enrichment.Grains.Serving;

public sealed class ModelDeploymentGrain(IModelSwapClient swaps, EnrichmentMetrics metrics, ILogger<ModelDeploymentGrain> logger)
    : Grain, IModelDeploymentGrain
{
    public async Task<DeploymentReport> Deploy(DeploymentRequest request)
    {
        var registry = GrainFactory.GetGrain<IModelRegistryGrain>(0);
        var target = (await registry.List()).FirstOrDefault(v => v.VersionId == request.VersionId)
            ?? throw new ArgumentException($"model version '{request.VersionId}' is not registered");
        if (DeploymentRules.Refusal(request, target, await registry.GetCurrent()) is { } refusal)
        {
            metrics.Deployment("refused");
            return DeploymentReport.Refusal(refusal);
        }
        // Registry first: a silo that misses the broadcast (or joins later) converges on this by reconciliation.
        var version = await registry.SetCurrent(request);
        var report = await swaps.SwapEverywhere(version);
        metrics.Deployment(report.Any(s => s.Error is not null) ? "partial" : "complete");
        logger.LogInformation("Deployed {ModelVersion} for {By}: {Silos}", request.VersionId, request.By,
            string.Join(", ", report.Where(s => s.HasAccelerator).Select(s => $"{s.Silo}={s.ServedVersion}{(s.Error is null ? "" : " (" + s.Error + ")")}")));
        return new DeploymentReport(true, null, report);
    }

    public Task<SiloModelStatus[]> Status() => swaps.StatusEverywhere();

    public Task<DeploymentRecord[]> History() => GrainFactory.GetGrain<IModelRegistryGrain>(0).Deployments();
}
