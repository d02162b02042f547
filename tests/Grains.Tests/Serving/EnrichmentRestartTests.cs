using Enrichment.Abstractions;
using Enrichment.TestSupport;

namespace Enrichment.Grains.Tests.Serving;

/// <summary>Products ingested with no model silo, the whole cluster stopped, a new one started on the same database.</summary>
[Trait("Category", "Postgres")]
public sealed class EnrichmentRestartTests : IAsyncLifetime
{
    private readonly string _work = Directory.CreateTempSubdirectory("enrichment-restart-").FullName;
    private PostgresServer _postgres = null!;
    private string _database = null!;

    public async Task InitializeAsync()
    {
        _postgres = await PostgresServer.StartAsync();
        _database = await _postgres.CreateDatabaseAsync("restart");
        await Enrichment.Persistence.PostgresSchema.ApplyAsync(_database);
    }

    public async Task DisposeAsync()
    {
        await _postgres.DisposeAsync();
        Directory.Delete(_work, recursive: true);
    }

    [Fact]
    public async Task After_a_full_cluster_restart_pending_products_are_enriched_without_being_read()
    {
        var checkpoint = TinyModel.SaveCheckpoint(Path.Combine(_work, "v1"), seed: 1);
        var ids = new List<string>();

        var before = ServingCluster.Build(2, acceleratorSilos: "", checkpoint, Path.Combine(_work, "cache-1"), postgres: _database, serviceId: "restart");
        await before.DeployAsync();
        try
        {
            foreach (var (path, i) in SampleImages.Paths(300).Select((p, i) => (p, i)))
            {
                var id = $"restart-{i:D4}";
                var result = await before.Client.GetGrain<IProductGrain>(id).Apply(await SampleImages.StoreAsync(before.Client, id, await File.ReadAllBytesAsync(path)));
                Assert.Equal(ApplyOutcome.Applied, result.Outcome);
                ids.Add(id);
            }
            await EnrichmentQueueProbe.UntilAsync(before.Client, s => s.Depth == ids.Count, TimeSpan.FromSeconds(30), $"{ids.Count} deep");
        }
        finally
        {
            await before.StopAllSilosAsync();
            await before.DisposeAsync();
        }

        var after = ServingCluster.Build(2, acceleratorSilos: "Silo_1", checkpoint, Path.Combine(_work, "cache-2"), postgres: _database, serviceId: "restart");
        await after.DeployAsync();
        try
        {
            await EnrichmentQueueProbe.DrainedAsync(after.Client, TimeSpan.FromMinutes(3));
            var products = await Task.WhenAll(ids.Select(id => after.Client.GetGrain<IProductGrain>(id).Get()));
            Assert.All(products, p => Assert.Equal(EnrichmentStatus.Enriched, p!.EnrichmentStatus));
        }
        finally
        {
            await after.StopAllSilosAsync();
            await after.DisposeAsync();
        }
    }
}
