using Microsoft.Extensions.Logging;
using Npgsql;

namespace Enrichment.Persistence;

/// <summary>
/// Owns the PostgreSQL schema Orleans' ADO.NET clustering and grain storage expect (Orleans' NuGet packages ship no SQL).
/// </summary>
/// <remarks>
/// The upstream scripts use plain CREATE TABLE / INSERT INTO OrleansQuery, so they can run only once per database.
/// <see cref="ApplyAsync"/> therefore records each applied script (name + SHA-256) in <c>enrichment_schema_version</c>
/// and serialises concurrent callers (two silos starting together) with a session advisory lock.
/// Each script runs in its own transaction together with its version row, so a failure leaves nothing half-applied.
/// </remarks>
public static partial class PostgresSchema
{
    /// <summary>The ADO.NET invariant to pass to Orleans' <c>UseAdoNetClustering</c> / <c>AddAdoNetGrainStorage</c>.</summary>
    public const string AdoNetInvariant = Enrichment.Abstractions.Hosting.ClusterConnectionOptions.AdoNetInvariant;

    /// <summary>Arbitrary constant identifying this schema's advisory lock (per database).</summary>
    internal const long AdvisoryLockKey = 0x456E_7269_6368_0001; // "Enrich" + 1

    internal const string VersionTable = "enrichment_schema_version";

    /// <summary>
    /// Applies the embedded Orleans scripts (Main, Clustering, Persistence) that this database has not applied yet.
    /// Safe to call on every silo start and from several processes at once; a no-op when up to date.
    /// </summary>
    /// <exception cref="InvalidOperationException">An already-applied script's text has changed since it was applied.</exception>
    public static async Task ApplyAsync(string connectionString, ILogger? logger = null, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var scripts = SchemaScript.LoadAll();

        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);

        // Session-level lock: held across the per-script transactions; released explicitly, or by the server
        // if this process dies (the connection closes).
        await ExecuteAsync(connection, $"SELECT pg_advisory_lock({AdvisoryLockKey})", ct);
        try
        {
            await ExecuteAsync(connection,
                $"""
                CREATE TABLE IF NOT EXISTS {VersionTable} (
                    script_name text PRIMARY KEY,
                    sha256      text NOT NULL,
                    applied_at  timestamptz NOT NULL DEFAULT now()
                )
                """, ct);

            var applied = await ReadAppliedAsync(connection, ct);
            foreach (var script in scripts)
            {
                if (applied.TryGetValue(script.Name, out var appliedHash))
                {
                    if (!string.Equals(appliedHash, script.Sha256, StringComparison.OrdinalIgnoreCase))
                    {
                        throw new InvalidOperationException(
                            $"Schema script '{script.Name}' was applied to database '{connection.Database}' with sha256 {appliedHash}, " +
                            $"but the embedded copy now hashes to {script.Sha256}. Applied scripts must not change: add a new script instead.");
                    }
                    continue;
                }

                await ApplyScriptAsync(connection, script, ct);
                logger?.LogInformation("Applied schema script {Script} ({Sha256}) to database {Database}",
                    script.Name, script.Sha256, connection.Database);
            }
        }
        finally
        {
            // CancellationToken.None: release even when the caller cancelled. If the connection itself is broken the
            // server drops the session lock anyway, so a failed unlock must not hide the original exception.
            try
            {
                await ExecuteAsync(connection, $"SELECT pg_advisory_unlock({AdvisoryLockKey})", CancellationToken.None);
            }
            catch (NpgsqlException ex)
            {
                logger?.LogWarning(ex, "Could not release schema advisory lock; it is released when the connection closes");
            }
        }
    }

    private static async Task ApplyScriptAsync(NpgsqlConnection connection, SchemaScript script, CancellationToken ct)
    {
        await using var tx = await connection.BeginTransactionAsync(ct);
        try
        {
            await using (var cmd = new NpgsqlCommand(script.Sql, connection, tx))
            {
                await cmd.ExecuteNonQueryAsync(ct);
            }
            await using (var cmd = new NpgsqlCommand($"INSERT INTO {VersionTable} (script_name, sha256) VALUES (@name, @sha)", connection, tx))
            {
                cmd.Parameters.AddWithValue("name", script.Name);
                cmd.Parameters.AddWithValue("sha", script.Sha256);
                await cmd.ExecuteNonQueryAsync(ct);
            }
            await tx.CommitAsync(ct);
        }
        catch (PostgresException ex)
        {
            throw new InvalidOperationException(
                $"Applying schema script '{script.Name}' to database '{connection.Database}' failed: {ex.MessageText} (SQLSTATE {ex.SqlState}). " +
                "If the Orleans tables were created outside PostgresSchema, record them in " + VersionTable + " or use a fresh database.", ex);
        }
    }

    private static async Task<Dictionary<string, string>> ReadAppliedAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        var applied = new Dictionary<string, string>(StringComparer.Ordinal);
        await using var cmd = new NpgsqlCommand($"SELECT script_name, sha256 FROM {VersionTable}", connection);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            applied[reader.GetString(0)] = reader.GetString(1);
        }
        return applied;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, connection);
        await cmd.ExecuteNonQueryAsync(ct);
    }
}
