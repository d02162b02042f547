using Npgsql;

namespace Enrichment.Persistence;

/// <summary>
/// Connections are a budget: every process states how many it may hold. Npgsql's default pool (100 per
/// connection string) times a few silos exceeds PostgreSQL's default max_connections (100), which then refuses
/// writes ("53300: too many clients") exactly when the cluster is busiest.
/// </summary>
public static class PostgresConnections
{
    /// <summary>The connection string with an explicit pool size (what Orleans' ADO.NET providers use).</summary>
    public static string WithPoolSize(string connectionString, int maxPoolSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPoolSize, 1);
        return new NpgsqlConnectionStringBuilder(connectionString) { MaxPoolSize = maxPoolSize }.ConnectionString;
    }

    /// <summary>
    /// A data source of its own for the project's SQL, with its own bounded pool. The project's SQL sets no session
    /// state, so a connection going back to the pool is not reset (a reset is a DISCARD ALL sent with the next command:
    /// one more statement for the server on every use, and it would drop the statements the product writes prepare).
    /// No automatic preparation: searches would then run on generic plans, slower for their varying filters.
    /// </summary>
    public static NpgsqlDataSource DataSource(string connectionString, int maxPoolSize, string applicationName) =>
        NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(connectionString)
        {
            MaxPoolSize = maxPoolSize,
            ApplicationName = applicationName,
            NoResetOnClose = true,
        });
}
