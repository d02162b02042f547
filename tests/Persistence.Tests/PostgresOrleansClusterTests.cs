using Enrichment.TestSupport;
using Npgsql;
using Orleans.TestingHost;
using static Enrichment.TestSupport.PostgresStatements;

namespace Enrichment.Persistence.Tests;

/// <summary>Real 2-silo Orleans clusters (TestingHost, in-process) on ADO.NET clustering + grain storage in PostgreSQL.</summary>
[Collection(PostgresCollection.Name)]
[Trait("Category", "Postgres")]
public sealed class PostgresOrleansClusterTests(PostgresFixture fixture)
{
    private const int ActiveStatus = 3; // Orleans SiloStatus.Active

    [Fact]
    public async Task PostgreSQL_MultiSilo_TwoSilosRegisterAsActiveInMembershipTable()
    {
        var cs = await NewSchemaDatabaseAsync("cluster_membership");
        var clusterId = "membership-" + Guid.NewGuid().ToString("N")[..8];

        var cluster = OrleansClusterConfigurators.BuildCluster(cs, clusterId, "enrichment-tests");
        try
        {
            await cluster.DeployAsync();
            Assert.Equal(2, cluster.Silos.Count);

            var silos = await WaitForActiveSilosAsync(cs, clusterId, expected: 2);
            Assert.Equal(cluster.Silos.Select(s => s.Name).Order(), silos.Order());
        }
        finally
        {
            await StopAsync(cluster);
        }
    }

    [Fact]
    public async Task PostgreSQL_MultiSilo_GrainStateSurvivesFullClusterRestart()
    {
        var cs = await NewSchemaDatabaseAsync("cluster_restart");
        var clusterId = "restart-" + Guid.NewGuid().ToString("N")[..8];
        const string serviceId = "enrichment-tests"; // grain storage rows are keyed by ServiceId: keep it across restarts
        var keys = Enumerable.Range(0, 6).Select(i => $"counter-{i}").ToArray();

        // First cluster: write through grains spread over both silos.
        var writtenOn = new HashSet<string>();
        HashSet<string> firstSilos;
        var first = OrleansClusterConfigurators.BuildCluster(cs, clusterId, serviceId);
        try
        {
            await first.DeployAsync();
            firstSilos = first.Silos.Select(s => s.Name).ToHashSet();
            await WaitForActiveSilosAsync(cs, clusterId, expected: 2);
            foreach (var (key, i) in keys.Select((k, i) => (k, i)))
            {
                var grain = first.Client.GetGrain<ICounterGrain>(key);
                await grain.Add(i + 1, "first");
                var write = await grain.Add(10, "second");
                Assert.Equal(i + 11, write.Total);
                writtenOn.Add(write.Silo);
            }
        }
        finally
        {
            await StopAsync(first);
        }

        Assert.Equal(0L, await ScalarAsync(cs, $"SELECT count(*) FROM orleansmembershiptable WHERE deploymentid = '{clusterId}' AND status = {ActiveStatus}"));
        Assert.True(await ScalarAsync(cs, "SELECT count(*) FROM orleansstorage") >= keys.Length);

        // Second cluster, same database and ids: state must come back from PostgreSQL, not memory.
        var second = OrleansClusterConfigurators.BuildCluster(cs, clusterId, serviceId);
        try
        {
            await second.DeployAsync();
            foreach (var (key, i) in keys.Select((k, i) => (k, i)))
            {
                var state = await second.Client.GetGrain<ICounterGrain>(key).Read();
                Assert.Equal(i + 11, state.Total);
                Assert.Equal(["first", "second"], state.Notes);
            }
        }
        finally
        {
            await StopAsync(second);
        }

        // The writes really went through silos of the first cluster (grain placement decides which of the two).
        Assert.NotEmpty(writtenOn);
        Assert.Subset(firstSilos, writtenOn);
    }

    private async Task<string> NewSchemaDatabaseAsync(string prefix)
    {
        var cs = await fixture.Server.CreateDatabaseAsync(prefix);
        await PostgresSchema.ApplyAsync(cs);
        return cs;
    }

    private static async Task StopAsync(TestCluster cluster)
    {
        await cluster.StopAllSilosAsync();
        await cluster.DisposeAsync();
    }

    /// <summary>Polls OrleansMembershipTable until <paramref name="expected"/> silos of the cluster are Active; returns their names.</summary>
    private static async Task<List<string>> WaitForActiveSilosAsync(string cs, string clusterId, int expected)
    {
        var names = await Eventually.Get(async () =>
        {
            var names = new List<string>();
            await using (var connection = new NpgsqlConnection(cs))
            {
                await connection.OpenAsync();
                await using var cmd = new NpgsqlCommand(
                    "SELECT siloname FROM orleansmembershiptable WHERE deploymentid = @id AND status = @status", connection);
                cmd.Parameters.AddWithValue("id", clusterId);
                cmd.Parameters.AddWithValue("status", ActiveStatus);
                await using var reader = await cmd.ExecuteReaderAsync();
                while (await reader.ReadAsync()) names.Add(reader.GetString(0));
            }
            return names;
        }, names => names.Count >= expected, TimeSpan.FromSeconds(60), $"{expected} active silos in the membership table", TimeSpan.FromMilliseconds(250));
        Assert.Equal(expected, names.Count);
        return names;
    }

}
