using Enrichment.Abstractions;

namespace Enrichment.Grains.Tests;

[Collection(CatalogClusterCollection.Name)]
public sealed class SearchTests(CatalogClusterFixture fixture)
{
    private IProductSearchGrain Search => fixture.Grains.GetGrain<IProductSearchGrain>(0);

    [Fact]
    public async Task Search_intersects_filters_case_insensitively_and_pages_in_id_order()
    {
        // A colour no other test uses, so the result is exactly what this test stored.
        var colour = $"Colour{Guid.NewGuid():N}";
        for (var i = 1; i <= 5; i++)
        {
            await fixture.Grains.GetGrain<IProductGrain>($"s{i}-{colour}").Apply(TestEvents.Product($"s{i}-{colour}", 1, colour, i % 2 == 0 ? "Jeans" : "Tshirts"));
        }

        var tshirts = await Search.Search(new SearchQuery
        {
            Filters = new() { [AttributeNames.Colour] = colour.ToUpperInvariant(), [AttributeNames.Type] = "tshirts" },
            PageSize = 2,
        });
        var secondPage = await Search.Search(new SearchQuery
        {
            Filters = new() { [AttributeNames.Colour] = colour, [AttributeNames.Type] = "Tshirts" },
            Page = 2,
            PageSize = 2,
        });

        Assert.Equal(3, tshirts.Total);
        Assert.Equal([$"s1-{colour}", $"s3-{colour}"], tshirts.Items.Select(p => p.ProductId));
        Assert.Equal([$"s5-{colour}"], secondPage.Items.Select(p => p.ProductId));
    }

    [Fact]
    public async Task Changing_an_attribute_moves_the_product_between_index_entries()
    {
        var before = $"Before{Guid.NewGuid():N}";
        var after = $"After{Guid.NewGuid():N}";
        var id = TestEvents.UniqueId("move");
        var grain = fixture.Grains.GetGrain<IProductGrain>(id);
        await grain.Apply(TestEvents.Product(id, 1, before));
        await grain.Apply(TestEvents.Product(id, 2, after));

        var old = await Search.Search(new SearchQuery { Filters = new() { [AttributeNames.Colour] = before } });
        var @new = await Search.Search(new SearchQuery { Filters = new() { [AttributeNames.Colour] = after } });

        Assert.Equal(0, old.Total);
        Assert.Equal([id], @new.Items.Select(p => p.ProductId));
    }

    [Fact]
    public async Task A_stale_index_entry_never_returns_a_product_for_a_value_it_no_longer_has()
    {
        var current = $"Now{Guid.NewGuid():N}";
        var stale = $"Was{Guid.NewGuid():N}";
        var id = TestEvents.UniqueId("stale");
        var match = TestEvents.UniqueId("match");
        await fixture.Grains.GetGrain<IProductGrain>(id).Apply(TestEvents.Product(id, 1, current));
        await fixture.Grains.GetGrain<IProductGrain>(match).Apply(TestEvents.Product(match, 1, stale));
        // What a silo dying between storing a product and moving its index entries leaves behind.
        var shard = fixture.Grains.GetGrain<IAttributeIndexGrain>(IndexKeys.For(AttributeNames.Colour, stale, IndexKeys.ShardOf(id)));
        await shard.Add(id);
        Assert.Contains(id, await shard.GetProductIds());

        var page = await Search.Search(new SearchQuery { Filters = new() { [AttributeNames.Colour] = stale } });

        Assert.Equal([match], page.Items.Select(p => p.ProductId));
    }

    [Theory]
    [InlineData("price", "1")]
    [InlineData("colour\u0000", "Red")]
    public async Task Unsearchable_attribute_is_a_clear_error(string attribute, string value)
    {
        var ex = await Assert.ThrowsAsync<ArgumentException>(() =>
            Search.Search(new SearchQuery { Filters = new() { [attribute] = value } }));
        Assert.Contains("is not searchable", ex.Message);
    }

    [Fact]
    public async Task Empty_query_and_bad_paging_are_refused()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Search.Search(new SearchQuery()));
        await Assert.ThrowsAsync<ArgumentException>(() =>
            Search.Search(new SearchQuery { Filters = new() { [AttributeNames.Colour] = "Red" }, PageSize = 100_000 }));
    }
}
