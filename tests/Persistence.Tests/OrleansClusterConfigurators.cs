using Microsoft.Extensions.Configuration;
using Orleans.TestingHost;

namespace Enrichment.Persistence.Tests;

/// <summary>
/// TestingHost configurators wiring both silos and the client to PostgreSQL: ADO.NET clustering (membership table
/// in PG instead of the TestCluster's in-memory one) and ADO.NET grain storage. TestingHost instantiates these by
/// type, so the connection string travels through TestClusterBuilder.Properties -> IConfiguration.
/// These test the project's schema script against Orleans' own providers, so they register those providers directly;
/// and they need TestClusterBuilder: InProcessTestClusterBuilder (10.4) always uses its in-memory membership
/// (UseTestClusterMembership is not settable), so it cannot exercise ADO.NET clustering.
/// </summary>
public static class OrleansClusterConfigurators
{
    public const string ConnectionStringKey = "Enrichment:PostgresConnectionString";
    public const string StorageName = "postgres";

    public sealed class Silo : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            var connectionString = siloBuilder.Configuration[ConnectionStringKey]
                ?? throw new InvalidOperationException($"TestCluster property {ConnectionStringKey} not set.");
            siloBuilder
                .UseAdoNetClustering(o =>
                {
                    o.Invariant = PostgresSchema.AdoNetInvariant;
                    o.ConnectionString = connectionString;
                })
                .AddAdoNetGrainStorage(StorageName, o =>
                {
                    o.Invariant = PostgresSchema.AdoNetInvariant;
                    o.ConnectionString = connectionString;
                });
        }
    }

    public sealed class Client : IClientBuilderConfigurator
    {
        public void Configure(IConfiguration configuration, IClientBuilder clientBuilder)
        {
            var connectionString = configuration[ConnectionStringKey]
                ?? throw new InvalidOperationException($"TestCluster property {ConnectionStringKey} not set.");
            // The client finds gateways through the same membership table.
            clientBuilder.UseAdoNetClustering(o =>
            {
                o.Invariant = PostgresSchema.AdoNetInvariant;
                o.ConnectionString = connectionString;
            });
        }
    }

    /// <summary>A 2-silo TestCluster on <paramref name="connectionString"/>; same ids across calls = same logical service.</summary>
    public static TestCluster BuildCluster(string connectionString, string clusterId, string serviceId)
    {
        var builder = new TestClusterBuilder(initialSilosCount: 2);
        builder.Options.ClusterId = clusterId;
        builder.Options.ServiceId = serviceId;
        builder.Options.UseTestClusterMembership = false; // use the PG membership table configured above
        builder.Properties[ConnectionStringKey] = connectionString;
        builder.AddSiloBuilderConfigurator<Silo>();
        builder.AddClientBuilderConfigurator<Client>();
        return builder.Build();
    }
}
