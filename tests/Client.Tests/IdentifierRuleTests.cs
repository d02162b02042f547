using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Enrichment.Client.Ingest;

namespace Enrichment.Client.Tests;

/// <summary>Issue 10, item 5: ids and attribute names that look alike but differ, or that no URL can reach.</summary>
[Collection(ClientApiCollection.Name)]
[Trait("Category", "Cluster")]
public sealed class IdentifierRuleTests(ClientApiFixture fixture)
{
    [Theory]
    [InlineData("""{"eventId":"e","productId":"rt-tn\n","version":1,"name":"n"}""", "productId")]
    [InlineData("""{"eventId":"e\n","productId":"rt-tn-e","version":1,"name":"n"}""", "eventId")]
    [InlineData("""{"eventId":"e","productId":"rt-attr","version":1,"name":"n","attributes":{"colour\n":"Red"}}""", "attribute name")]
    [InlineData("""{"eventId":"e","productId":".","version":1,"name":"n"}""", "'.' or '..'")]
    [InlineData("""{"eventId":"e","productId":"rt-dup","version":1,"name":"n","attributes":{"colour":"Red","colour":"Blue"}}""", "appears more than once")]
    [InlineData("""{"eventId":"e","productId":"..","version":1,"name":"n"}""", "'.' or '..'")]
    [InlineData("""{"eventId":"e","productId":"rt-bidi","version":1,"name":"evil\u202Egnp.exe"}""", "bidirectional")]
    [InlineData("""{"eventId":"e","productId":"rt-zw","version":1,"name":"n","attributes":{"colour":"Re\u200Bd"}}""", "invisible")]
    public async Task Lookalike_and_unreachable_identifiers_are_rejected(string json, string reason)
    {
        var result = await fixture.Ingestor.IngestOneAsync(NdjsonEventReader.Parse(json, "ids:1", imageRoot: null));

        Assert.Equal(IngestStatus.Rejected, result.Status);
        Assert.Contains(reason, result.Reason);
    }

    [Fact]
    public async Task A_body_that_is_not_utf8_is_a_problem_not_silently_replaced()
    {
        var id = $"utf8-{Guid.NewGuid():N}"[..16];
        var bytes = Encoding.UTF8.GetBytes($$"""{"eventId":"e","productId":"{{id}}","version":1,"name":"caf""")
            .Concat(new byte[] { 0xC3, 0x28 }) // an invalid two-byte sequence
            .Concat(Encoding.UTF8.GetBytes("\"}")).ToArray();
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new("application/json");

        var response = await fixture.Http.PostAsync("/api/events", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("UTF-8", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await fixture.Http.GetAsync($"/api/products/{id}")).StatusCode);
    }
}
