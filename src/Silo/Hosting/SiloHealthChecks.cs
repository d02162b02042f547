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

/// <summary>
/// Readiness of a silo on the real store: PostgreSQL answers. A silo whose storage is gone is not ready: it cannot
/// activate a product or image that is not already in memory, store an event or claim queued work, so every such call
/// it takes answers 503. It stays live (restarting it would not bring storage back), and it becomes ready again by
/// itself once PostgreSQL answers. The probe opens one unpooled connection (within the budget's headroom) with a
/// 2-second bound, so a hung server reads as not ready instead of hanging the probe.
/// </summary>
public sealed class StorageReachableCheck(IOptions<SiloHostOptions> options) : IHealthCheck
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        var storage = options.Value.Storage;
        if (!storage.UsesPostgres)
        {
            return HealthCheckResult.Healthy("memory storage (embedded default)");
        }
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(ct);
        bounded.CancelAfter(Timeout);
        try
        {
            var probe = new Npgsql.NpgsqlConnectionStringBuilder(storage.Postgres)
            {
                Pooling = false, Timeout = (int)Timeout.TotalSeconds, CommandTimeout = (int)Timeout.TotalSeconds,
                ApplicationName = "enrichment-silo-ready",
            };
            await using var connection = new Npgsql.NpgsqlConnection(probe.ConnectionString);
            await connection.OpenAsync(bounded.Token);
            await using var command = new Npgsql.NpgsqlCommand("SELECT 1", connection);
            await command.ExecuteScalarAsync(bounded.Token);
            return HealthCheckResult.Healthy("PostgreSQL answers");
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or OperationCanceledException or TimeoutException && !ct.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy(
                $"PostgreSQL does not answer within {Timeout.TotalSeconds:0} s ({Enrichment.Abstractions.TextRules.Truncate(ex.Message, 200)}): " +
                "grains not in memory cannot activate and events cannot be stored");
        }
    }
}
