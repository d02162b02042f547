using Enrichment.Abstractions;
using Enrichment.Persistence;
using Enrichment.Persistence.Images;
using Enrichment.TestSupport;
using Npgsql;

namespace Enrichment.Grains.Tests.Serving;

/// <summary>
/// Photos in an S3-compatible object store (a real s3rver) under a cluster whose catalogue is in PostgreSQL, as
/// registered in production (<c>Photos:Store=s3</c>): new photos, photos stored in catalog_images before the switch,
/// and photos that are corrupt or missing in the store, all the way to the product.
/// </summary>
[Trait("Category", "Processes")]
public sealed class PhotoStoreEnrichmentTests() : ServingClusterTest(silos: 2, acceleratorSilos: "Silo_1", durable: true)
{
    private S3Server? _s3;

    public override async Task InitializeAsync()
    {
        _s3 = await S3Server.StartAsync();
        await base.InitializeAsync();
    }

    protected override IReadOnlyDictionary<string, string>? Settings => _s3!.Settings;

    [Fact]
    public async Task Photos_new_moved_corrupt_and_missing_each_end_as_a_product_that_says_what_happened()
    {
        var grains = Cluster.Client;
        await using var catalogue = NpgsqlDataSource.Create(Database!);
        // Behind the cluster's back: the object store itself, and the table photos lived in before the switch.
        using var bucket = new S3ImageStore(S3ImageStore.CreateClient(_s3!.Options()), S3Server.Bucket, S3Retries.Build(_s3.Options()));
        var legacy = new PostgresImageStore(catalogue);
        var samples = SampleImages.Paths(4).Select(File.ReadAllBytes).ToList();

        var fresh = await ApplyAsync(grains, await SampleImages.StoreAsync(grains, TestEvents.UniqueId("fresh"), samples[0]));

        var old = Ref(samples[1]);
        await legacy.PutAsync(old.Sha256, new ImageBlob(samples[1], "image/jpeg"));
        var moved = await ApplyAsync(grains, "moved", old);

        // Other bytes under a photo's key, as damage at rest would leave them.
        var damaged = Ref(samples[2]);
        await bucket.PutAsync(damaged.Sha256, new ImageBlob(samples[3], "image/jpeg"));
        var corrupt = await ApplyAsync(grains, "corrupt", damaged);

        var missing = await ApplyAsync(grains, "missing", Ref(Guid.NewGuid().ToByteArray()));

        var ids = new[] { fresh, moved, corrupt, missing };
        var done = await ModelPlacementAndBatchingTests.WaitForAsync(grains, ids, p => p.EnrichmentStatus != EnrichmentStatus.Pending, TimeSpan.FromMinutes(2));
        var byId = done.ToDictionary(p => p.ProductId);

        Assert.Equal(EnrichmentStatus.Enriched, byId[fresh].EnrichmentStatus);
        Assert.Equal(EnrichmentStatus.Enriched, byId[moved].EnrichmentStatus);
        Assert.Equal(EnrichmentStatus.ImageUnreadable, byId[corrupt].EnrichmentStatus);
        Assert.Contains($"photo {damaged.Sha256} is corrupt", byId[corrupt].Enrichment!.Error);
        Assert.Equal(EnrichmentStatus.ImageUnreadable, byId[missing].EnrichmentStatus);
        Assert.Contains("is not in the image store", byId[missing].Enrichment!.Error);

        // Photos live in the object store only: the old one was moved out of PostgreSQL on its first read.
        Assert.Equal(samples[0], (await bucket.GetAsync(byId[fresh].Image!.Sha256))!.Bytes);
        Assert.Equal(samples[1], (await bucket.GetAsync(old.Sha256))!.Bytes);
        Assert.Equal(0L, await catalogue.CreateCommand("SELECT count(*) FROM catalog_images").ExecuteScalarAsync());
        // The API's door to photos answers the good ones and never hands out damaged bytes.
        Assert.Equal(samples[1], (await grains.Photos().Get(old.Sha256))!.Bytes);
        Assert.Null(await grains.Photos().Get(damaged.Sha256));
    }

    private static ImageRef Ref(byte[] bytes) => new(PhotoHash.Of(bytes), bytes.Length, "image/jpeg");

    private static Task<string> ApplyAsync(IGrainFactory grains, string prefix, ImageRef image) =>
        ApplyAsync(grains, TestEvents.Product(TestEvents.UniqueId(prefix), 1) with { Image = image });

    private static async Task<string> ApplyAsync(IGrainFactory grains, ProductEvent e)
    {
        var applied = await grains.GetGrain<IProductGrain>(e.ProductId).Apply(e);
        Assert.Equal(ApplyOutcome.Applied, applied.Outcome);
        return e.ProductId;
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (_s3 is not null) await _s3.DisposeAsync();
    }
}
