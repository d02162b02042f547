using Enrichment.Grains;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;

namespace Enrichment.Grains.Tests;

/// <summary>A real two-silo in-process cluster with in-memory storage, shared by the tests of a collection.</summary>
public sealed class CatalogClusterFixture : IAsyncLifetime
{
    public InProcessTestCluster Cluster { get; private set; } = null!;
    public IGrainFactory Grains => Cluster.Client;

    public async Task InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(2);
        // The embedded default's registration, exactly as a silo without PostgreSQL makes it; the two silos share one
        // catalogue, as real silos share one database.
        var catalogue = new Enrichment.Persistence.MemoryCatalogStores();
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddEnrichmentStorage(new EnrichmentStorageOptions()).AddEnrichmentGrains(new ConfigurationBuilder().Build());
            silo.Services.AddSingleton(catalogue);
        });
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class CatalogClusterCollection : ICollectionFixture<CatalogClusterFixture>
{
    public const string Name = "two-silo catalogue cluster";
}
