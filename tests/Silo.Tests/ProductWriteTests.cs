using Enrichment.Abstractions;
using Enrichment.TestSupport;
using Npgsql;
using static Enrichment.TestSupport.PostgresStatements;

namespace Enrichment.Silo.Tests;

/// <summary>
/// Product changes on a real PostgreSQL server: each is one write of the product, its search row and its queue item,
/// all or nothing, and a stale activation's write is refused.
/// </summary>
[Collection(PostgresCollection.Name)]
[Trait("Category", "Postgres")]
public sealed class ProductWriteTests(PostgresFixture fixture)
{
    private static ProductEvent Event(string id, long version, string colour, bool photo = false) => new()
    {
        Image = photo ? new ImageRef(new string('c', 64), 10, "image/jpeg") : null,
        EventId = $"{id}-v{version}",
        ProductId = id,
        Version = version,
        Name = $"Repair test {colour}",
        Attributes = new() { [AttributeNames.Colour] = colour, [AttributeNames.Type] = "Shirts" },
        OccurredAt = DateTimeOffset.UtcNow,
    };

    private static Task<CatalogPage> FindAsync(IGrainFactory grains, string colour) =>
        grains.GetGrain<ICatalogSearchGrain>(0).Search(new CatalogQuery { Attributes = new() { [AttributeNames.Colour] = [colour] } });

    [Fact]
    public async Task PostgreSQL_a_change_that_fails_in_storage_leaves_nothing_behind_and_is_stored_whole_when_resent()
    {
        var cs = await fixture.NewDatabaseAsync("product_write_atomic");
        await PostgresFixture.WithClusterAsync(cs, async cluster =>
        {
            var grains = cluster.Client;
            Assert.Equal(ApplyOutcome.Applied, (await grains.GetGrain<IProductGrain>("kept").Apply(Event("kept", 1, "Teal"))).Outcome);

            // The row refused: the queue item and the product's state are in the same write, so neither may remain.
            await ExecuteAsync(cs, """
                CREATE FUNCTION refuse_lost() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN RAISE EXCEPTION 'row refused on purpose'; END $$;
                CREATE TRIGGER refuse_lost BEFORE INSERT OR UPDATE ON catalog_products
                    FOR EACH ROW WHEN (NEW.product_id = 'lost') EXECUTE FUNCTION refuse_lost();
                """);
            await Assert.ThrowsAsync<StorageUnavailableException>(() => grains.GetGrain<IProductGrain>("lost").Apply(Event("lost", 1, "Teal", photo: true)));
            Assert.Null(await grains.GetGrain<IProductGrain>("lost").Get());
            Assert.Equal(0L, await ScalarAsync(cs, "SELECT count(*) FROM enrichment_queue WHERE product_id = 'lost'"));
            Assert.Equal(["kept"], (await FindAsync(grains, "teal")).Items.Select(p => p.ProductId));

            // The sender retries what was not acknowledged: stored whole, searchable and queued, in one go.
            await ExecuteAsync(cs, "DROP TRIGGER refuse_lost ON catalog_products");
            Assert.Equal(ApplyOutcome.Applied, (await grains.GetGrain<IProductGrain>("lost").Apply(Event("lost", 1, "Teal", photo: true))).Outcome);
            Assert.Equal(["kept", "lost"], (await FindAsync(grains, "teal")).Items.Select(p => p.ProductId));
            Assert.Equal(1L, await ScalarAsync(cs, "SELECT count(*) FROM enrichment_queue WHERE product_id = 'lost'"));
        }, silos: 2);
    }

    [Fact]
    public async Task PostgreSQL_an_activation_whose_product_was_changed_by_another_writer_is_refused_and_the_retry_applies_on_fresh_state()
    {
        var cs = await fixture.NewDatabaseAsync("product_write_stale");
        await PostgresFixture.WithClusterAsync(cs, async cluster =>
        {
            var grains = cluster.Client;
            var product = grains.GetGrain<IProductGrain>("stale");
            await product.Apply(Event("stale", 1, "Teal"));

            // Another activation (Orleans can briefly run two during a membership change) stores revision 2 meanwhile.
            await ExecuteAsync(cs, """
                UPDATE catalog_products SET revision = revision + 1,
                    state = jsonb_set(state::jsonb, '{knownAttributes,colour}', '"Amber"')::json
                WHERE product_id = 'stale'
                """);

            // This activation still holds revision 1: its write is refused as retryable and changes nothing.
            await Assert.ThrowsAsync<StorageUnavailableException>(() => product.Apply(Event("stale", 2, "Olive")));
            Assert.Equal(2L, await ScalarAsync(cs, "SELECT revision FROM catalog_products WHERE product_id = 'stale'"));
            Assert.Equal(1L, await ScalarAsync(cs, "SELECT count(*) FROM catalog_products WHERE state->'knownAttributes'->>'colour' = 'Amber'"));

            // The refused activation went away; the retry reads what the other writer stored and applies on top of it.
            Assert.Equal(ApplyOutcome.Applied, (await product.Apply(Event("stale", 2, "Olive"))).Outcome);
            Assert.Equal(3L, await ScalarAsync(cs, "SELECT revision FROM catalog_products WHERE product_id = 'stale'"));
            Assert.Equal(["stale"], (await FindAsync(grains, "olive")).Items.Select(p => p.ProductId));
        }, silos: 1);
    }

    [Fact]
    public async Task PostgreSQL_an_applied_change_is_searchable_when_apply_returns_and_each_product_is_one_row()
    {
        var cs = await fixture.NewDatabaseAsync("read_model_ryw");
        await PostgresFixture.WithClusterAsync(cs, async cluster =>
        {
            var grains = cluster.Client;
            for (var version = 1; version <= 5; version++)
            {
                var colour = $"Shade{version}";
                await grains.GetGrain<IProductGrain>("ryw").Apply(Event("ryw", version, colour));
                // Read-your-writes: no wait, no retry.
                Assert.Equal(["ryw"], (await FindAsync(grains, colour)).Items.Select(p => p.ProductId));
                Assert.Empty((await FindAsync(grains, $"Shade{version - 1}")).Items);
            }
            Assert.Equal(1L, await ScalarAsync(cs, "SELECT count(*) FROM catalog_products"));
        }, silos: 1);
    }

}
