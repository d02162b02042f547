using Enrichment.Grains;
using Enrichment.Persistence;
using Enrichment.Silo.Hosting;
using Enrichment.TestSupport;
using Microsoft.Extensions.Configuration;
using Orleans.TestingHost;

namespace Enrichment.Silo.Tests;

/// <summary>One throwaway PostgreSQL server for the assembly; each test gets its own database with the project's schema.</summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    public PostgresServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await PostgresServer.StartAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();

    public async Task<string> NewDatabaseAsync(string prefix)
    {
        var cs = await Server.CreateDatabaseAsync(prefix);
        await PostgresSchema.ApplyAsync(cs);
        return cs;
    }

    /// <summary>
    /// A two-silo cluster on ADO.NET clustering and the silo host's own storage and grain registration. The ids stay
    /// fixed per database so a second cluster on the same database is the same logical service. TestClusterBuilder
    /// rather than InProcessTestClusterBuilder: the latter (10.4) always uses its in-memory membership, and these
    /// tests are about a cluster whose membership lives in PostgreSQL.
    /// </summary>
    public static TestCluster BuildCluster(string connectionString, int silos = 2, IReadOnlyDictionary<string, string>? settings = null)
    {
        var builder = new TestClusterBuilder((short)silos);
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            builder.Properties[key] = value;
        }
        builder.Options.ClusterId = "silo-tests";
        builder.Options.ServiceId = "silo-tests";
        builder.Options.UseTestClusterMembership = false;
        builder.Properties[ConnectionStringKey] = connectionString;
        builder.AddSiloBuilderConfigurator<PostgresSilo>();
        builder.AddClientBuilderConfigurator<PostgresClient>();
        return builder.Build();
    }

    /// <summary>Runs <paramref name="test"/> against a fresh cluster on <paramref name="connectionString"/>, then stops it.</summary>
    public static async Task WithClusterAsync(string connectionString, Func<TestCluster, Task> test, int silos = 2,
        IReadOnlyDictionary<string, string>? settings = null)
    {
        var cluster = BuildCluster(connectionString, silos, settings);
        await cluster.DeployAsync();
        try
        {
            await test(cluster);
        }
        finally
        {
            await cluster.StopAllSilosAsync();
            await cluster.DisposeAsync();
        }
    }

    private const string ConnectionStringKey = "Test:Postgres";

    private sealed class PostgresSilo : ISiloConfigurator
    {
        public void Configure(ISiloBuilder silo)
        {
            var options = new SiloHostOptions { Postgres = silo.Configuration[ConnectionStringKey] };
            silo.UseAdoNetClustering(o =>
            {
                o.Invariant = PostgresSchema.AdoNetInvariant;
                o.ConnectionString = options.Postgres;
            });
            silo.AddEnrichmentStorage(options).AddEnrichmentGrains(silo.Configuration);
        }
    }

    private sealed class PostgresClient : IClientBuilderConfigurator
    {
        public void Configure(IConfiguration configuration, IClientBuilder client) =>
            client.UseAdoNetClustering(o =>
            {
                o.Invariant = PostgresSchema.AdoNetInvariant;
                o.ConnectionString = configuration[ConnectionStringKey];
            });
    }
}

[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresFixture>
{
    public const string Name = "PostgreSQL";
}
