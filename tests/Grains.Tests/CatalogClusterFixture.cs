using Enrichment.Grains;
using Microsoft.Extensions.Configuration;
using Orleans.TestingHost;

namespace Enrichment.Grains.Tests;

/// <summary>A real two-silo in-process cluster with in-memory storage, shared by the tests of a collection.</summary>
public sealed class CatalogClusterFixture : IAsyncLifetime
{
    public TestCluster Cluster { get; private set; } = null!;
    public IGrainFactory Grains => Cluster.GrainFactory;

    public async Task InitializeAsync()
    {
        var builder = new TestClusterBuilder(2);
        builder.AddSiloBuilderConfigurator<MemoryCatalogSilo>();
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync() => await Cluster.StopAllSilosAsync();

    private sealed class MemoryCatalogSilo : ISiloConfigurator
    {
        public void Configure(ISiloBuilder silo) =>
            silo.AddEnrichmentStorage(new EnrichmentStorageOptions())
                .AddEnrichmentGrains(new ConfigurationBuilder().Build());
    }
}

[CollectionDefinition(Name)]
public sealed class CatalogClusterCollection : ICollectionFixture<CatalogClusterFixture>
{
    public const string Name = "two-silo catalogue cluster";
}
