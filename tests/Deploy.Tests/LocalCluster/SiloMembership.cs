using Enrichment.TestSupport;
using Npgsql;

namespace Enrichment.Deploy.Tests.LocalCluster;

/// <summary>What the cluster's membership table (in PostgreSQL) says about a silo.</summary>
public static class SiloMembership
{
    // Orleans' SiloStatus.Dead.
    private const int Dead = 6;

    /// <summary>
    /// Waits until the cluster has declared the silo on <paramref name="siloPort"/> dead. Until then calls to what it
    /// hosted may wait for a response timeout; afterwards they go to new activations on the silos that are left. So
    /// reads that must succeed wait for this, not for some number of seconds that a slow machine may need more of.
    /// </summary>
    public static async Task WaitUntilDeadAsync(string database, string clusterId, int siloPort, TimeSpan timeout, CancellationToken ct)
    {
        await using var db = new NpgsqlConnection(database);
        await db.OpenAsync(ct);
        await using var query = new NpgsqlCommand(
            "SELECT count(*) FROM orleansmembershiptable WHERE deploymentid = @cluster AND port = @port AND status = @dead", db);
        query.Parameters.AddWithValue("cluster", clusterId);
        query.Parameters.AddWithValue("port", siloPort);
        query.Parameters.AddWithValue("dead", Dead);
        await Eventually.True(async () => Convert.ToInt32(await query.ExecuteScalarAsync(ct)) > 0, timeout,
            $"the cluster to declare the silo on port {siloPort} dead", TimeSpan.FromMilliseconds(250));
    }
}
