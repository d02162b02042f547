using Npgsql;
using static Enrichment.TestSupport.PostgresStatements;

namespace Enrichment.Persistence.Tests;

[Collection(PostgresCollection.Name)]
[Trait("Category", "Postgres")]
public sealed class PostgresSchemaTests(PostgresFixture fixture)
{
    // Query keys the Orleans 10.4 ADO.NET clustering + grain storage providers require at startup.
    private static readonly string[] RequiredQueryKeys =
    [
        "UpdateIAmAlivetimeKey", "InsertMembershipVersionKey", "InsertMembershipKey", "UpdateMembershipKey",
        "MembershipReadRowKey", "MembershipReadAllKey", "DeleteMembershipTableEntriesKey", "GatewaysQueryKey",
        "CleanupDefunctSiloEntriesKey", "WriteToStorageKey", "ReadFromStorageKey", "ClearStorageKey",
    ];

    [Fact]
    public async Task PostgreSQL_Schema_AppliesToEmptyDatabase_AndReapplyIsNoOp()
    {
        var cs = await fixture.Server.CreateDatabaseAsync("schema_apply");

        await PostgresSchema.ApplyAsync(cs);
        var afterFirst = await SnapshotAsync(cs);
        await PostgresSchema.ApplyAsync(cs);
        var afterSecond = await SnapshotAsync(cs);

        Assert.Equal(SchemaScript.OrderedNames, afterFirst.Scripts);
        Assert.Equal(afterFirst, afterSecond); // same scripts, same applied_at, same queries: nothing re-ran
        Assert.Subset(afterFirst.QueryKeys.ToHashSet(), RequiredQueryKeys.ToHashSet());
    }

    [Fact]
    public async Task PostgreSQL_Schema_ConcurrentApplyFromTwoTasks_IsSafe()
    {
        var cs = await fixture.Server.CreateDatabaseAsync("schema_concurrent");

        // Separate connection strings (different Application Name) so the two callers share no pooled connection.
        var a = new NpgsqlConnectionStringBuilder(cs) { ApplicationName = "apply-a" }.ConnectionString;
        var b = new NpgsqlConnectionStringBuilder(cs) { ApplicationName = "apply-b" }.ConnectionString;
        await Task.WhenAll(Task.Run(() => PostgresSchema.ApplyAsync(a)), Task.Run(() => PostgresSchema.ApplyAsync(b)));

        var snapshot = await SnapshotAsync(cs);
        Assert.Equal(SchemaScript.OrderedNames, snapshot.Scripts);
        Assert.Equal(RequiredQueryKeys.Order(StringComparer.Ordinal), snapshot.QueryKeys);
    }

    [Fact]
    public async Task PostgreSQL_Schema_RejectsAppliedScriptWhoseTextChanged()
    {
        var cs = await fixture.Server.CreateDatabaseAsync("schema_drift");
        await PostgresSchema.ApplyAsync(cs);
        await ExecuteAsync(cs, "UPDATE enrichment_schema_version SET sha256 = 'not-the-hash' WHERE script_name = 'PostgreSQL-Clustering.sql'");

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => PostgresSchema.ApplyAsync(cs));
        Assert.Contains("PostgreSQL-Clustering.sql", ex.Message);
    }

    [Fact]
    public async Task PostgreSQL_EnsureDatabase_CreatesMissingDatabaseOnce()
    {
        var name = "ensure_" + Guid.NewGuid().ToString("N")[..8];
        var cs = new NpgsqlConnectionStringBuilder(fixture.Server.ConnectionString) { Database = name }.ConnectionString;

        Assert.True(await PostgresSchema.EnsureDatabaseAsync(cs));
        Assert.False(await PostgresSchema.EnsureDatabaseAsync(cs));
        await PostgresSchema.ApplyAsync(cs);
        Assert.Equal(SchemaScript.OrderedNames, (await SnapshotAsync(cs)).Scripts);
    }

    private sealed record Snapshot(string[] Scripts, string[] AppliedAt, string[] QueryKeys)
    {
        public bool Equals(Snapshot? other) => other is not null
            && Scripts.SequenceEqual(other.Scripts) && AppliedAt.SequenceEqual(other.AppliedAt) && QueryKeys.SequenceEqual(other.QueryKeys);
        public override int GetHashCode() => Scripts.Length;
    }

    private static async Task<Snapshot> SnapshotAsync(string cs)
    {
        var rows = await QueryAsync(cs, "SELECT script_name, applied_at::text FROM enrichment_schema_version ORDER BY applied_at, script_name", 2);
        // Scripts are applied in order; applied_at ties (same transaction timestamp) cannot happen across transactions.
        var keys = await QueryAsync(cs, "SELECT querykey FROM orleansquery ORDER BY querykey COLLATE \"C\"", 1);
        return new Snapshot(rows.Select(r => r[0]).ToArray(), rows.Select(r => r[1]).ToArray(), keys.Select(r => r[0]).ToArray());
    }

    private static async Task<List<string[]>> QueryAsync(string cs, string sql, int columns)
    {
        await using var connection = new NpgsqlConnection(cs);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, connection);
        await using var reader = await cmd.ExecuteReaderAsync();
        var rows = new List<string[]>();
        while (await reader.ReadAsync())
        {
            rows.Add(Enumerable.Range(0, columns).Select(i => reader.GetString(i)).ToArray());
        }
        return rows;
    }

}
