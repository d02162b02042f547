using Enrichment.Abstractions;
using Enrichment.Persistence.Catalog;

namespace Enrichment.Persistence.Tests.Catalog;

/// <summary>
/// The contract every <see cref="IProductStore"/> keeps, run against PostgreSQL and memory alike: one write stores the
/// product, its search row and its queue item together, and a stale writer changes none of them.
/// </summary>
public abstract class ProductStoreContract
{
    protected abstract Task<StoreSet> NewStoresAsync();

    private static readonly string PhotoA = new('a', 64);
    private static readonly string PhotoB = new('b', 64);

    private static Product Enriched(Product product) => product with
    {
        EnrichmentStatus = EnrichmentStatus.Enriched,
        Enrichment = new PredictedEnrichment
        {
            ModelVersion = "v7",
            Attributes = new()
            {
                [AttributeNames.Colour] = new PredictedAttribute("Navy Blue", 0.97f) { Input = "photo+name", AutoApplyThreshold = 0.9f, MeasuredPrecision = 0.975f },
            },
        },
    };

    private static async Task<string[]> SearchIdsAsync(StoreSet stores, string colour) =>
        (await stores.ReadModel.SearchAsync(new CatalogQuery { Attributes = new() { ["colour"] = [colour] } })).Items.Select(p => p.ProductId).ToArray();

    [Fact]
    public async Task A_stale_writer_is_refused_and_changes_neither_the_product_nor_its_row_nor_its_queue_item()
    {
        var stores = await NewStoresAsync();
        var first = TestProducts.Pending("s1", PhotoA) with { KnownAttributes = new() { ["colour"] = "Red" } };
        await stores.Products.WriteAsync(new ProductWrite(first, ExpectedRevision: 0));
        // The live activation moves the product on: enriched, so its queue item goes.
        var live = Enriched(first) with { KnownAttributes = new() { ["colour"] = "Green" } };
        await stores.Products.WriteAsync(new ProductWrite(live, ExpectedRevision: 1));

        // A stale activation still holding revision 1 writes a different photo (which would queue it again).
        var stale = TestProducts.Pending("s1", PhotoB, version: 2) with { KnownAttributes = new() { ["colour"] = "Blue" } };
        await Assert.ThrowsAsync<ProductRevisionConflictException>(() => stores.Products.WriteAsync(new ProductWrite(stale, ExpectedRevision: 1)));
        // Creating what already exists is refused the same way.
        await Assert.ThrowsAsync<ProductRevisionConflictException>(() => stores.Products.WriteAsync(new ProductWrite(stale, ExpectedRevision: 0)));

        var stored = await stores.Products.ReadAsync("s1");
        Assert.Equal((2L, EnrichmentStatus.Enriched, "Green"), (stored!.Revision, stored.Product.EnrichmentStatus, stored.Product.KnownAttributes["colour"]));
        Assert.Equal(["s1"], await SearchIdsAsync(stores, "green"));
        Assert.Empty(await SearchIdsAsync(stores, "blue"));
        Assert.Equal(0, (await stores.Queue.GetStatsAsync()).Depth);
    }

    [Fact]
    public async Task A_product_comes_back_whole_with_its_prediction_trail_and_remembered_events()
    {
        var stores = await NewStoresAsync();
        var product = Enriched(TestProducts.Pending("w1", PhotoA)) with
        {
            Name = "Wörd ünïcode",
            RecentEventIds = ["e1", "e2"],
            RecentEvents = [new AppliedEvent("e2", 1, DateTimeOffset.UnixEpoch)],
            Reviews = new() { ["type"] = new AttributeReview { Value = "Shirts", By = "ana", Note = "checked" } },
        };
        await stores.Products.WriteAsync(new ProductWrite(product, ExpectedRevision: 0));

        var stored = (await stores.Products.ReadAsync("w1"))!;
        Assert.Equal(1, stored.Revision);
        Assert.Equal(product.Name, stored.Product.Name);
        Assert.Equal(["e1", "e2"], stored.Product.RecentEventIds);
        Assert.Equal("checked", stored.Product.Reviews["type"].Note);
        var colour = stored.Product.Enrichment!.Attributes[AttributeNames.Colour];
        Assert.Equal(("photo+name", 0.9f, 0.975f), (colour.Input, colour.AutoApplyThreshold, colour.MeasuredPrecision));
        Assert.Null(await stores.Products.ReadAsync("nobody"));

        // A claimed batch reads its products at once; ids with nothing stored are left out.
        var batch = await stores.Products.ReadManyAsync(["w1", "nobody", "w1"]);
        Assert.Equal(["w1"], batch.Keys);
        Assert.Equal(1L, batch["w1"].Revision);
        Assert.Equal(["e1", "e2"], batch["w1"].Product.RecentEventIds);
    }

    [Fact]
    public async Task The_queue_item_exists_exactly_while_the_product_waits_for_its_current_photo()
    {
        var stores = await NewStoresAsync();
        await stores.StoreAsync(TestProducts.Pending("q1", PhotoA));
        var first = Assert.Single(await stores.Queue.ClaimAsync(10, "silo", TimeSpan.FromMinutes(10)));
        Assert.Equal(PhotoA, first.ImageSha256);

        // Rewritten waiting for the same photo: the claimed item keeps its place and lease.
        await stores.StoreAsync(TestProducts.Pending("q1", PhotoA) with { EnrichmentNote = "model silo busy" });
        Assert.Empty(await stores.Queue.ClaimAsync(10, "other", TimeSpan.FromMinutes(10)));

        // A new photo points the item at it, due now.
        await stores.StoreAsync(TestProducts.Pending("q1", PhotoB, version: 2));
        Assert.Equal(PhotoB, Assert.Single(await stores.Queue.ClaimAsync(10, "other", TimeSpan.FromMinutes(10))).ImageSha256);

        // Enriched: the item goes with the same write.
        await stores.StoreAsync(Enriched(TestProducts.Pending("q1", PhotoB, version: 2)));
        Assert.Equal(0, (await stores.Queue.GetStatsAsync()).Depth);

        // Restarted: queued afresh although nothing about the photo changed.
        await stores.StoreAsync(TestProducts.Pending("q1", PhotoB, version: 2), restartEnrichment: true);
        Assert.Equal(1, (await stores.Queue.GetStatsAsync()).Depth);
    }
}

[Trait("Category", "Unit")]
public sealed class InMemoryProductStoreTests : ProductStoreContract
{
    protected override Task<StoreSet> NewStoresAsync() => Task.FromResult(StoreSet.InMemory());
}

[Collection(PostgresCollection.Name)]
[Trait("Category", "Postgres")]
public sealed class PostgresProductStoreTests(PostgresFixture fixture) : ProductStoreContract
{
    protected override async Task<StoreSet> NewStoresAsync() => StoreSet.Postgres(await fixture.NewDataSourceAsync("products"));
}
