using Enrichment.Abstractions;
using Enrichment.Client.Ingest;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.TestingHost;

using Enrichment.TestSupport;

namespace Enrichment.Silo.Tests;

/// <summary>The catalogue on a real PostgreSQL server behind a real two-silo cluster.</summary>
[Collection(PostgresCollection.Name)]
[Trait("Category", "Postgres")]
public sealed class PostgresCatalogTests(PostgresFixture fixture)
{
    private static CatalogIngestor Ingestor(IGrainFactory grains) =>
        new(grains, Options.Create(new IngestOptions()), new Enrichment.Client.Hosting.ClientMetrics(new MeterFactory()), NullLogger<CatalogIngestor>.Instance);

    private static IAsyncEnumerable<IncomingEvent> Sample(long version) =>
        CatalogCsvReader.ReadAsync(RepoPaths.SampleCatalog, RepoPaths.SampleImages, version);

    [Fact]
    public async Task PostgreSQL_MultiSilo_catalogue_survives_killing_a_silo_and_a_full_cluster_restart()
    {
        var cs = await fixture.NewDatabaseAsync("catalog_restart");
        var sampleIds = await ReadSampleIdsAsync();
        var cluster = PostgresFixture.BuildCluster(cs);
        await cluster.DeployAsync();
        try
        {
            var tally = await Ingestor(cluster.Client).IngestAsync(Sample(version: 7));
            Assert.Equal(sampleIds.Count, tally[IngestStatus.Applied]);

            // A silo dies without a goodbye: the products it hosted come back on the survivor from PostgreSQL.
            await cluster.KillSiloAsync(cluster.SecondarySilos[0]);
            await EventuallyAsync(() => AssertAllStoredAsync(cluster.Client, sampleIds, version: 7));
        }
        finally
        {
            await cluster.StopAllSilosAsync();
            await cluster.DisposeAsync();
        }

        Assert.True(await CountRowsAsync(cs) >= sampleIds.Count);

        var restarted = PostgresFixture.BuildCluster(cs);
        await restarted.DeployAsync();
        try
        {
            await AssertAllStoredAsync(restarted.Client, sampleIds, version: 7);
            var search = await restarted.Client.GetGrain<ICatalogSearchGrain>(0)
                .Search(new CatalogQuery { Attributes = new() { [AttributeNames.Type] = ["Watches"] }, Limit = 200 });
            Assert.Equal(20, search.Total);

            // The restarted service still knows which events it has seen.
            var again = await Ingestor(restarted.Client).IngestAsync(Sample(version: 7));
            Assert.Equal(sampleIds.Count, again[IngestStatus.Duplicate]);
        }
        finally
        {
            await restarted.StopAllSilosAsync();
            await restarted.DisposeAsync();
        }
    }

    [Fact]
    public async Task PostgreSQL_rejected_events_are_persisted_with_reasons()
    {
        var cs = await fixture.NewDatabaseAsync("catalog_rejected");
        var cluster = PostgresFixture.BuildCluster(cs, silos: 1);
        await cluster.DeployAsync();
        try
        {
            var bad = NdjsonEventReader.Parse("""{"eventId":"e","productId":"p 1","version":1,"name":"x"}""", "test:1", imageRoot: null);
            var result = await Ingestor(cluster.Client).IngestOneAsync(bad);
            Assert.Equal(IngestStatus.Rejected, result.Status);
        }
        finally
        {
            await cluster.StopAllSilosAsync();
            await cluster.DisposeAsync();
        }

        var restarted = PostgresFixture.BuildCluster(cs, silos: 1);
        await restarted.DeployAsync();
        try
        {
            var page = await restarted.Client.GetGrain<IRejectedEventsGrain>(0).List(null, 10);
            var rejected = Assert.Single(page.Items);
            Assert.Contains("may contain only", rejected.Reason);
        }
        finally
        {
            await restarted.StopAllSilosAsync();
            await restarted.DisposeAsync();
        }
    }

    /// <summary>Calls routed to the dead silo fail until membership declares it dead; then every product must be back.</summary>
    private static Task EventuallyAsync(Func<Task> check) =>
        Eventually.Succeeds(check, ex => ex is not Xunit.Sdk.XunitException, TimeSpan.FromSeconds(90),
            "calls to stop failing once membership declares the silo dead", TimeSpan.FromSeconds(1));

    private static async Task AssertAllStoredAsync(IGrainFactory grains, IReadOnlyList<string> ids, long version)
    {
        var views = await Task.WhenAll(ids.Select(id => grains.GetGrain<IProductGrain>(id).Get()));
        Assert.All(views, v =>
        {
            Assert.NotNull(v);
            Assert.Equal(version, v.Version);
            Assert.NotNull(v.Image);
        });
        var image = await grains.Photos().Get(views[0]!.Image!.Sha256);
        Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(RepoPaths.SampleImages, ids[0] + ".jpg")), image!.Bytes);
    }

    private static async Task<List<string>> ReadSampleIdsAsync()
    {
        var ids = new List<string>();
        await foreach (var e in Sample(version: 0))
        {
            ids.Add(e.Event!.ProductId);
        }
        return ids;
    }

    private static async Task<long> CountRowsAsync(string cs)
    {
        await using var connection = new NpgsqlConnection(cs);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM catalog_products", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
