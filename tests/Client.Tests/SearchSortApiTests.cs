using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Enrichment.Client.Ingest;

namespace Enrichment.Client.Tests;

/// <summary>Issue 21 (sort): <c>GET /api/products?sort=</c> orders the results and its cursors, and refuses what it cannot follow.</summary>
[Collection(ClientApiCollection.Name)]
[Trait("Category", "Cluster")]
public sealed class SearchSortApiTests(ClientApiFixture fixture)
{
    private async Task<string> IngestNamedAsync(params (string Id, string Name)[] products)
    {
        // A colour of its own keeps this test's products apart from the fixture's other products.
        var colour = $"Sortcolour{Guid.NewGuid():N}"[..24];
        foreach (var (id, name) in products)
        {
            var result = await fixture.Ingestor.IngestOneAsync(NdjsonEventReader.Parse(
                $$$"""{"eventId":"e-{{{colour}}}-{{{id}}}","productId":"{{{colour}}}-{{{id}}}","version":1,"name":"{{{name}}}","attributes":{"colour":"{{{colour}}}"}}""",
                "sort:1", null));
            Assert.Equal(IngestStatus.Applied, result.Status);
        }
        return colour;
    }

    private static string[] Names(JsonElement page) =>
        page.GetProperty("items").EnumerateArray().Select(p => p.GetProperty("name").GetString()!).ToArray();

    [Fact]
    public async Task Sort_by_name_orders_every_page_and_descending_reverses_it()
    {
        var colour = await IngestNamedAsync(("1", "zebra stripes"), ("2", "Apple green"), ("3", "mango"), ("4", "Banana"));

        var first = await fixture.Http.GetFromJsonAsync<JsonElement>($"/api/products?colour={colour}&sort=name&limit=3");
        Assert.Equal(["Apple green", "Banana", "mango"], Names(first));
        var cursor = first.GetProperty("nextCursor").GetString();
        var second = await fixture.Http.GetFromJsonAsync<JsonElement>($"/api/products?colour={colour}&sort=name&limit=3&after={cursor}");
        Assert.Equal(["zebra stripes"], Names(second));
        Assert.Equal(JsonValueKind.Null, second.GetProperty("nextCursor").ValueKind);

        var descending = await fixture.Http.GetFromJsonAsync<JsonElement>($"/api/products?colour={colour}&sort=-name&limit=10");
        Assert.Equal(["zebra stripes", "mango", "Banana", "Apple green"], Names(descending));
        var byId = await fixture.Http.GetFromJsonAsync<JsonElement>($"/api/products?colour={colour}&limit=10");
        Assert.Equal(["zebra stripes", "Apple green", "mango", "Banana"], Names(byId));
    }

    [Theory]
    [InlineData("price")]
    [InlineData("Name")]
    [InlineData("1")]
    [InlineData("--name")]
    [InlineData("")]
    public async Task An_unknown_sort_is_a_problem_that_names_the_parameter(string sort)
    {
        var response = await fixture.Http.GetAsync($"/api/products?sort={Uri.EscapeDataString(sort)}");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("sort must be id, name, confidence or updated", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_cursor_of_another_sort_is_a_problem_not_a_wrong_page()
    {
        var colour = await IngestNamedAsync(("1", "b"), ("2", "a"), ("3", "c"));
        var byName = await fixture.Http.GetFromJsonAsync<JsonElement>($"/api/products?colour={colour}&sort=name&limit=1");
        var cursor = byName.GetProperty("nextCursor").GetString();

        foreach (var other in new[] { "-name", "updated", "id" })
        {
            var response = await fixture.Http.GetAsync($"/api/products?colour={colour}&sort={other}&limit=1&after={cursor}");
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Contains("cursor belongs to another sort", problem.GetProperty("detail").GetString());
        }
    }
}
