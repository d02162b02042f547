using Enrichment.Abstractions;

namespace Enrichment.Grains.Tests;

/// <summary>Search through the cluster: product grains project into the read model, the search grain reads it.</summary>
[Collection(CatalogClusterCollection.Name)]
[Trait("Category", "Cluster")]
public sealed class SearchTests(CatalogClusterFixture fixture)
{
    private ICatalogSearchGrain Search => fixture.Grains.GetGrain<ICatalogSearchGrain>(0);

    private static CatalogQuery Where(params (string Attribute, string[] Values)[] filters) =>
        new() { Attributes = filters.ToDictionary(f => f.Attribute, f => f.Values) };

    [Fact]
    public async Task An_applied_product_is_found_at_once_filters_intersect_case_insensitively_and_pages_continue_by_cursor()
    {
        // A colour no other test uses, so the result is exactly what this test stored.
        var colour = $"Colour{Guid.NewGuid():N}";
        for (var i = 1; i <= 5; i++)
        {
            var result = await fixture.Grains.GetGrain<IProductGrain>($"s{i}-{colour}").Apply(TestEvents.Product($"s{i}-{colour}", 1, colour, i % 2 == 0 ? "Jeans" : "Tshirts"));
            Assert.Equal(ApplyOutcome.Applied, result.Outcome);
        }

        var first = await Search.Search(Where((AttributeNames.Colour, [colour.ToUpperInvariant()]), (AttributeNames.Type, ["tshirts"])) with { Limit = 2 });
        var second = await Search.Search(Where((AttributeNames.Colour, [colour]), (AttributeNames.Type, ["Tshirts"])) with { Limit = 2, After = first.NextCursor });
        var either = await Search.Search(Where((AttributeNames.Colour, [colour]), (AttributeNames.Type, ["tshirts", "JEANS"])));

        Assert.Equal(3, first.Total);
        Assert.Equal([$"s1-{colour}", $"s3-{colour}"], first.Items.Select(p => p.ProductId));
        Assert.Equal([$"s5-{colour}"], second.Items.Select(p => p.ProductId));
        Assert.Null(second.NextCursor);
        Assert.Equal(5, either.Total);
    }

    [Fact]
    public async Task Changing_an_attribute_moves_the_product_and_an_older_event_never_moves_it_back()
    {
        var before = $"Before{Guid.NewGuid():N}";
        var after = $"After{Guid.NewGuid():N}";
        var id = TestEvents.UniqueId("move");
        var grain = fixture.Grains.GetGrain<IProductGrain>(id);
        await grain.Apply(TestEvents.Product(id, 1, before));
        await grain.Apply(TestEvents.Product(id, 3, after));
        Assert.Equal(ApplyOutcome.Stale, (await grain.Apply(TestEvents.Product(id, 2, before))).Outcome);

        var old = await Search.Search(Where((AttributeNames.Colour, [before])));
        var @new = await Search.Search(Where((AttributeNames.Colour, [after])));

        Assert.Equal(0, old.Total);
        Assert.Equal([id], @new.Items.Select(p => p.ProductId));
        Assert.Equal(3, @new.Items[0].Version);
    }

    [Fact]
    public async Task Facets_and_words_come_from_the_same_read_model()
    {
        var colour = $"Facet{Guid.NewGuid():N}";
        for (var i = 1; i <= 3; i++)
        {
            await fixture.Grains.GetGrain<IProductGrain>($"f{i}-{colour}").Apply(TestEvents.Product($"f{i}-{colour}", 1, colour, i == 1 ? "Jeans" : "Tshirts"));
        }

        var page = await Search.Search(Where((AttributeNames.Colour, [colour])) with { IncludeFacets = true, Text = "tshirts" });

        Assert.Equal(2, page.Total);
        Assert.Equal([("Tshirts", 2L)], page.Facets!.Single(f => f.Attribute == AttributeNames.Type).Values.Select(v => (v.Value, v.Count)));
    }

    [Theory]
    [InlineData("price", "1")]
    [InlineData("colour\u0000", "Red")]
    public async Task Unsearchable_attribute_is_a_clear_error(string attribute, string value)
    {
        var ex = await Assert.ThrowsAsync<ArgumentException>(() => Search.Search(Where((attribute, [value]))));
        Assert.Contains("is not searchable", ex.Message);
    }

    [Fact]
    public async Task Bad_limits_cursors_and_confidences_are_refused()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Search.Search(new CatalogQuery { Limit = 100_000 }));
        await Assert.ThrowsAsync<ArgumentException>(() => Search.Search(new CatalogQuery { Limit = 0 }));
        await Assert.ThrowsAsync<ArgumentException>(() => Search.Search(new CatalogQuery { After = "%%%" }));
        await Assert.ThrowsAsync<ArgumentException>(() => Search.Search(new CatalogQuery { MinConfidence = 1.5f }));
        await Assert.ThrowsAsync<ArgumentException>(() => Search.Search(Where((AttributeNames.Colour, []))));
    }
}
