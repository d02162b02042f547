using Npgsql;

namespace Enrichment.TestSupport;

/// <summary>
/// One statement on a connection of its own, for tests and benchmarks that look at or tamper with the database
/// directly. Never pooled: a test's own statement must not land on a connection a fault it injected has killed.
/// </summary>
public static class PostgresStatements
{
    /// <param name="timeoutSeconds">0: no limit (maintenance such as VACUUM in a benchmark).</param>
    public static async Task ExecuteAsync(string connectionString, string sql, CancellationToken ct = default, int timeoutSeconds = 30)
    {
        await using var connection = await OpenAsync(connectionString, ct);
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = timeoutSeconds };
        await command.ExecuteNonQueryAsync(ct);
    }

    public static async Task<long> ScalarAsync(string connectionString, string sql, CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(connectionString, ct);
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(ct));
    }

    private static async Task<NpgsqlConnection> OpenAsync(string connectionString, CancellationToken ct)
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync(ct);
        return connection;
    }
}
