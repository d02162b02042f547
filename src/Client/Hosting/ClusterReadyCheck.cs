using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Enrichment.Client.Hosting;

/// <summary>Readiness: the cluster answers a call within a few seconds and has at least one active silo.</summary>
public sealed class ClusterReadyCheck(IGrainFactory grains) : IHealthCheck
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        try
        {
            var hosts = await grains.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true).WaitAsync(Timeout, ct);
            return hosts.Count > 0
                ? HealthCheckResult.Healthy($"{hosts.Count} active silo(s)")
                : HealthCheckResult.Unhealthy("the cluster has no active silo");
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            // The message is enough: a probe that fails every few seconds must not log a stack trace each time.
            return HealthCheckResult.Unhealthy($"the cluster did not answer: {ex.GetType().Name}: {ex.Message}");
        }
    }
}
