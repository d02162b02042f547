using Enrichment.Abstractions.Hosting;
using Enrichment.Client.Hosting;
using Enrichment.Persistence;
using Enrichment.Silo.Hosting;
using Enrichment.TestSupport;
using Microsoft.Extensions.Configuration;
using Orleans.Configuration;
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
    /// A two-silo cluster configured the way the silo host configures itself: <see cref="SiloHostOptions"/> bound from
    /// the "Cluster" section, then <see cref="SiloBuilderExtensions.ConfigureEnrichmentSilo"/> (ADO.NET clustering,
    /// PostgreSQL storage, silo metadata, grains); the client is the HTTP host's <see cref="OrleansClientSetup.ConfigureEnrichmentClient"/>.
    /// The ids stay fixed per database so a second cluster on the same database is the same logical service.
    /// TestClusterBuilder rather than InProcessTestClusterBuilder: the latter (10.4) always registers its in-memory
    /// membership table after the test's silo configuration (UseTestClusterMembership is internal), and these tests are
    /// about a cluster whose membership lives in PostgreSQL (a killed silo is declared dead there; the fault tests drop
    /// the clustering's connections too). TestClusterBuilder creates its configurators by type, so their settings
    /// travel as configuration: the production "Cluster" keys and the test's <paramref name="settings"/>.
    /// </summary>
    /// <param name="overTcp">Real sockets instead of TestingHost's in-memory transport, for a client outside the test
    /// cluster (the HTTP host) to reach the gateways.</param>
    public static TestCluster BuildCluster(string connectionString, int silos = 2, IReadOnlyDictionary<string, string>? settings = null, bool overTcp = false)
    {
        var builder = new TestClusterBuilder((short)silos);
        if (overTcp)
        {
            builder.Options.ConnectionTransport = ConnectionTransportType.TcpSocket;
        }
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            builder.Properties[key] = value;
        }
        builder.Options.ClusterId = ClusterId;
        builder.Options.ServiceId = ClusterId;
        builder.Options.UseTestClusterMembership = false;
        builder.Properties[$"{ClusterConnectionOptions.Section}:{nameof(ClusterConnectionOptions.Postgres)}"] = connectionString;
        builder.Properties[$"{ClusterConnectionOptions.Section}:{nameof(ClusterConnectionOptions.ClusterId)}"] = ClusterId;
        builder.Properties[$"{ClusterConnectionOptions.Section}:{nameof(ClusterConnectionOptions.ServiceId)}"] = ClusterId;
        builder.AddSiloBuilderConfigurator<PostgresSilo>();
        builder.AddClientBuilderConfigurator<PostgresClient>();
        return builder.Build();
    }

    /// <summary>Runs <paramref name="test"/> against a fresh cluster on <paramref name="connectionString"/>, then stops it.</summary>
    public static async Task WithClusterAsync(string connectionString, Func<TestCluster, Task> test, int silos = 2,
        IReadOnlyDictionary<string, string>? settings = null, bool overTcp = false)
    {
        var cluster = BuildCluster(connectionString, silos, settings, overTcp);
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

    private const string ClusterId = "silo-tests";

    private sealed class PostgresSilo : ISiloConfigurator
    {
        public void Configure(ISiloBuilder silo)
        {
            var options = silo.Configuration.GetSection(SiloHostOptions.Section).Get<SiloHostOptions>()
                ?? throw new InvalidOperationException("TestCluster properties lack the Cluster section.");
            // The ports TestingHost gave this silo, in Orleans' own "Orleans:Endpoints" section.
            var endpoints = silo.Configuration.GetSection("Orleans:Endpoints");
            options.SiloPort = endpoints.GetValue<int>(nameof(EndpointOptions.SiloPort));
            options.GatewayPort = endpoints.GetValue<int>(nameof(EndpointOptions.GatewayPort));
            if (options.SiloPort == 0 || options.GatewayPort == 0)
            {
                throw new InvalidOperationException("TestingHost gave the silo no ports under Orleans:Endpoints.");
            }
            silo.ConfigureEnrichmentSilo(options, silo.Configuration);
        }
    }

    private sealed class PostgresClient : IClientBuilderConfigurator
    {
        public void Configure(IConfiguration configuration, IClientBuilder client) =>
            client.ConfigureEnrichmentClient(configuration.GetSection(ClusterConnectionOptions.Section).Get<ClusterClientOptions>()
                ?? throw new InvalidOperationException("TestCluster properties lack the Cluster section."));
    }
}

[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresFixture>
{
    public const string Name = "PostgreSQL";
}
