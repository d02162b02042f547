using Enrichment.Grains.Serving;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Enrichment.Silo.Hosting;

/// <summary>Readiness: this silo is an active member of its cluster.</summary>
public sealed class ClusterMembershipCheck(ISiloStatusOracle membership) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default) =>
        Task.FromResult(membership.CurrentStatus == SiloStatus.Active
            ? HealthCheckResult.Healthy("active in the cluster")
            : HealthCheckResult.Unhealthy($"not an active cluster member yet (status {membership.CurrentStatus})"));
}

/// <summary>Readiness of an accelerator silo: it has a model version loaded and can answer model requests.</summary>
public sealed class ModelLoadedCheck(ModelHost host, IOptions<SiloHostOptions> options) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default) =>
        Task.FromResult(string.IsNullOrWhiteSpace(options.Value.Accelerator)
            ? HealthCheckResult.Healthy("hosts no models (no accelerator declared)")
            : host.CurrentVersion is { } version
                ? HealthCheckResult.Healthy($"serves model {version}")
                : HealthCheckResult.Unhealthy("no model version loaded yet (the cluster has none, or it is still loading)"));
}
