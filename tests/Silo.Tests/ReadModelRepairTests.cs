using Enrichment.Abstractions;
using Enrichment.TestSupport;
using Npgsql;

namespace Enrichment.Silo.Tests;

/// <summary>The read model on a real PostgreSQL server: what a product stores is what search finds, even after a lost projection.</summary>
[Collection(PostgresCollection.Name)]
[Trait("Category", "Postgres")]
[Trait("Category", "Cluster")]
public sealed class ReadModelRepairTests(PostgresFixture fixture)
{
    private static readonly Dictionary<string, string> FastRepair = new()
    {
        ["Enrichment:ReadModel:RepairGrace"] = "00:00:01",
        ["Enrichment:ReadModel:RepairInterval"] = "00:00:00.200",
    };

    private static ProductEvent Event(string id, long version, string colour) => new()
    {
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
    public async Task PostgreSQL_a_product_whose_projection_never_landed_is_found_again_without_being_resent()
    {
        var cs = await fixture.NewDatabaseAsync("read_model_repair");
        await PostgresFixture.WithClusterAsync(cs, async cluster =>
        {
            var grains = cluster.Client;
            Assert.Equal(ApplyOutcome.Applied, (await grains.GetGrain<IProductGrain>("kept").Apply(Event("kept", 1, "Teal"))).Outcome);

            // What a silo dying between the state write and the projection leaves: the state is stored, the row is not.
            await ExecuteAsync(cs, """
                CREATE FUNCTION refuse_lost() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN RAISE EXCEPTION 'projection lost on purpose'; END $$;
                CREATE TRIGGER refuse_lost BEFORE INSERT OR UPDATE ON catalog_products
                    FOR EACH ROW WHEN (NEW.product_id = 'lost') EXECUTE FUNCTION refuse_lost();
                """);
            await Assert.ThrowsAnyAsync<Exception>(() => grains.GetGrain<IProductGrain>("lost").Apply(Event("lost", 1, "Teal")));
            Assert.Equal(1, (await grains.GetGrain<IProductGrain>("lost").Get())?.Version);
            Assert.Equal(["kept"], (await FindAsync(grains, "teal")).Items.Select(p => p.ProductId));

            // Nobody resends: the repairer alone must close the gap once projections work again.
            await ExecuteAsync(cs, "DROP TRIGGER refuse_lost ON catalog_products");
            await Eventually.Get(() => FindAsync(grains, "teal"), page => page.Items.Length >= 2, TimeSpan.FromSeconds(60),
                "the lost projection to be repaired", TimeSpan.FromMilliseconds(200), page => $"{page.Items.Length} found");
            Assert.Equal(["kept", "lost"], (await FindAsync(grains, "teal")).Items.Select(p => p.ProductId));
            Assert.Equal(0L, await ScalarAsync(cs, "SELECT count(*) FROM catalog_pending"));
        }, silos: 2, settings: FastRepair);
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
            Assert.Equal(0L, await ScalarAsync(cs, "SELECT count(*) FROM catalog_pending"));
        }, silos: 1);
    }

    private static async Task ExecuteAsync(string cs, string sql)
    {
        await using var connection = new NpgsqlConnection(cs);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<long> ScalarAsync(string cs, string sql)
    {
        await using var connection = new NpgsqlConnection(cs);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
