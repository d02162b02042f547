using Enrichment.Grains.Serving;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Enrichment.Silo.Hosting;

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
