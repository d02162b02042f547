using Microsoft.Extensions.Logging;
using Npgsql;

namespace Enrichment.Persistence;

public static partial class PostgresSchema
{
    /// <summary>
    /// Creates the database named in <paramref name="connectionString"/> if it does not exist yet, by connecting to the
    /// <c>postgres</c> maintenance database with the same host and credentials. Returns true when it created it.
    /// </summary>
    /// <remarks>CREATE DATABASE cannot run inside a transaction or take parameters, hence the existence check plus
    /// tolerating 42P04 (duplicate_database) when another process wins the race.</remarks>
    public static async Task<bool> EnsureDatabaseAsync(string connectionString, ILogger? logger = null, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var target = new NpgsqlConnectionStringBuilder(connectionString);
        var database = target.Database;
        if (string.IsNullOrEmpty(database))
        {
            throw new ArgumentException("The connection string names no Database.", nameof(connectionString));
        }

        var maintenance = new NpgsqlConnectionStringBuilder(connectionString) { Database = "postgres", Pooling = false };
        await using var connection = new NpgsqlConnection(maintenance.ConnectionString);
        await connection.OpenAsync(ct);

        await using (var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @name", connection))
        {
            exists.Parameters.AddWithValue("name", database);
            if (await exists.ExecuteScalarAsync(ct) is not null)
            {
                return false;
            }
        }

        try
        {
            await using var create = new NpgsqlCommand($"CREATE DATABASE {QuoteIdentifier(database)}", connection);
            await create.ExecuteNonQueryAsync(ct);
            logger?.LogInformation("Created database {Database}", database);
            return true;
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.DuplicateDatabase)
        {
            return false;
        }
    }

    /// <summary>Quotes an identifier for DDL (identifiers cannot be bound as parameters).</summary>
    internal static string QuoteIdentifier(string identifier) => "\"" + identifier.Replace("\"", "\"\"") + "\"";
}
