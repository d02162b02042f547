using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Enrichment.Abstractions;
using Enrichment.Client.Ingest;

namespace Enrichment.Client.Tests;

/// <summary>Issue 22: the last parsing gaps of the HTTP API and the ingest paths (items 4, 5, 6, 9, 10, 11, 12).</summary>
[Collection(ClientApiCollection.Name)]
[Trait("Category", "Cluster")]
public sealed class ParsingGapTests(ClientApiFixture fixture)
{
    private static string Run() => Guid.NewGuid().ToString("N")[..8];

    private async Task<List<JsonElement>> PostAsync(HttpContent content)
    {
        var response = await fixture.Http.PostAsync("/api/events", content);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>(Json.Options)).GetProperty("results").EnumerateArray().ToList();
    }

    private static string Status(JsonElement result) => result.GetProperty("status").GetString()!;

    private HttpRequestMessage Admin(string path, object? body = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.Add("X-Admin-Token", ClientApiFixture.AdminToken);
        return request;
    }

    /// <summary>Item 4: an application/json body is one JSON value, however it is laid out over lines.</summary>
    [Fact]
    public async Task A_pretty_printed_json_object_is_one_event_not_one_per_line()
    {
        var id = $"pretty-{Run()}";
        var body = $$"""
            {
              "eventId": "p1",
              "productId": "{{id}}",
              "version": 1,
              "name": "Pretty Shirt",
              "attributes": { "colour": "Red" }
            }
            """;

        var results = await PostAsync(new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal([nameof(IngestStatus.Applied)], results.Select(Status));
        Assert.Equal("Pretty Shirt", (await fixture.Http.GetFromJsonAsync<ProductView>($"/api/products/{id}", Json.Options))!.Name);
    }

    /// <summary>Item 5: a key given twice is refused wherever it occurs, not won by the last one.</summary>
    [Theory]
    [InlineData("""{"eventId":"d","productId":"dup-version-{0}","version":1,"version":2,"name":"n"}""", "version")]
    [InlineData("""{"eventId":"d","eventId":"e","productId":"dup-event-{0}","version":1,"name":"n"}""", "eventId")]
    [InlineData("""{"eventId":"d","productId":"dup-attrs-{0}","version":1,"name":"n","attributes":{"colour":"Red"},"attributes":{"colour":"Blue"}}""", "attributes")]
    [InlineData("""{"eventId":"d","productId":"dup-name-{0}","version":1,"name":"n","name":"m"}""", "name")]
    public async Task A_key_given_twice_in_an_event_is_refused(string template, string key)
    {
        var json = template.Replace("{0}", Run());

        var results = await PostAsync(new StringContent(json, Encoding.UTF8, "application/json"));
        var file = NdjsonEventReader.Parse(json, "dup:1", imageRoot: null);

        Assert.Equal(nameof(IngestStatus.Rejected), Status(results.Single()));
        Assert.Contains($"'{key}' appears more than once", results.Single().GetProperty("reason").GetString(), StringComparison.OrdinalIgnoreCase);
        Assert.Contains("more than once", file.Error);
    }

    /// <summary>Item 6: a UTF-8 byte order mark before the first event is skipped on HTTP as in files.</summary>
    [Fact]
    public async Task A_byte_order_mark_is_skipped_on_http_and_in_files_alike()
    {
        var run = Run();
        byte[] WithBom(string text) => [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(text)];
        string Event(string id) => $$"""{"eventId":"b","productId":"{{id}}","version":1,"name":"Bom"}""";
        var json = new ByteArrayContent(WithBom(Event($"bom-json-{run}"))) { Headers = { ContentType = new("application/json") } };
        var ndjson = new ByteArrayContent(WithBom(Event($"bom-nd-{run}") + "\n")) { Headers = { ContentType = new("application/x-ndjson") } };

        Assert.Equal(nameof(IngestStatus.Applied), Status((await PostAsync(json)).Single()));
        Assert.Equal(nameof(IngestStatus.Applied), Status((await PostAsync(ndjson)).Single()));

        var lines = new List<NdjsonLines.Line>();
        await foreach (var line in NdjsonLines.ReadAsync(new OneByteAtATime(WithBom(Event($"bom-file-{run}")))))
        {
            lines.Add(line);
        }
        Assert.Equal(Event($"bom-file-{run}"), lines.Single().Text);
    }

    /// <summary>Item 9: every route that names a product or a model version checks the id with the one id rule, before any grain.</summary>
    [Theory]
    [InlineData("/api/admin/products/%0A/enrich")]
    [InlineData("/api/admin/products/bad%20id/enrich")]
    [InlineData("/api/admin/products/..%2F..%2Fetc/enrich")]
    [InlineData("/api/admin/products/%0A/review")]
    [InlineData("/api/admin/models/%0A/deploy")]
    [InlineData("/api/admin/models/v%20x/evaluate")]
    public async Task Every_route_refuses_an_invalid_id_with_a_problem(string path)
    {
        var response = await fixture.Http.SendAsync(Admin(path, new { attribute = "colour", by = "tester" }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("not a valid", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
    }

    /// <summary>Item 10: a reviewer's (or deployer's) name is refused for what an event's text is refused for.</summary>
    [Theory]
    [InlineData("adm\\u202Enimda")]
    [InlineData("ad\\u200Bmin")]
    [InlineData("\\u2066admin\\u2069")]
    public async Task A_reviewer_name_with_bidi_or_zero_width_characters_is_refused(string escaped)
    {
        var by = JsonSerializer.Deserialize<string>($"\"{escaped}\"")!;
        var id = $"actor-{Run()}";
        await PostAsync(new StringContent($$"""{"eventId":"a","productId":"{{id}}","version":1,"name":"n","attributes":{"colour":"Red"} }""",
            Encoding.UTF8, "application/json"));

        var request = Admin($"/api/admin/products/{id}/review");
        // Raw JSON: a serializer would replace the unpaired surrogate before it left.
        request.Content = new StringContent($$"""{"attribute":"colour","value":"Blue","by":"{{escaped}}"}""", Encoding.UTF8, "application/json");
        var response = await fixture.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("'by'", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
        Assert.False(TextRules.IsActorName(by)); // the deployer's name goes through the same rule
    }

    /// <summary>Item 11: "Café" composed and decomposed is one value to store, to search and to count.</summary>
    [Fact]
    public async Task Composed_and_decomposed_values_are_one_search_value_and_one_facet()
    {
        var run = Run();
        var brand = $"Caf\u00E9 {run}"; // NFC
        var decomposed = $"Cafe\u0301 {run}"; // NFD
        await PostAsync(new StringContent($$"""
            [{"eventId":"c","productId":"nfc-{{run}}","version":1,"name":"Caf\u00E9 shirt","attributes":{"brand":"{{brand}}"} },
             {"eventId":"d","productId":"nfd-{{run}}","version":1,"name":"Cafe\u0301 shirt","attributes":{"brand":"{{decomposed}}"} }]
            """, Encoding.UTF8, "application/json"));

        var stored = await fixture.Http.GetFromJsonAsync<ProductView>($"/api/products/nfd-{run}", Json.Options);
        Assert.Equal(brand, stored!.KnownAttributes[AttributeNames.Brand]);
        Assert.Equal($"Caf\u00E9 shirt", stored.Name);
        foreach (var asked in new[] { brand, decomposed })
        {
            var page = await fixture.Http.GetFromJsonAsync<JsonElement>(
                $"/api/products?brand={Uri.EscapeDataString(asked)}&facets=true", Json.Options);
            Assert.Equal(2, page.GetProperty("items").GetArrayLength());
            var brands = page.GetProperty("facets").EnumerateArray().Single(f => f.GetProperty("attribute").GetString() == "brand")
                .GetProperty("values").EnumerateArray().ToList();
            Assert.Equal(2, brands.Single().GetProperty("count").GetInt32());
        }
        var words = await fixture.Http.GetFromJsonAsync<JsonElement>($"/api/products?q={Uri.EscapeDataString("cafe\u0301")}&brand={Uri.EscapeDataString(brand)}");
        Assert.Equal(2, words.GetProperty("items").GetArrayLength());
    }

    /// <summary>Item 12: content codings and charset parameters are answered, not ignored or misread; latency buckets as documented.</summary>
    [Fact]
    public async Task Content_coding_charset_and_latency_buckets_are_as_documented()
    {
        var run = Run();
        string Event(string id) => $$"""{"eventId":"g","productId":"{{id}}","version":1,"name":"n"}""";
        HttpContent Content(string id, string contentType, string? encoding = null)
        {
            var content = new ByteArrayContent(Encoding.UTF8.GetBytes(Event(id)));
            content.Headers.TryAddWithoutValidation("Content-Type", contentType);
            if (encoding is not null)
            {
                content.Headers.ContentEncoding.Add(encoding);
            }
            return content;
        }

        var gzip = await fixture.Http.PostAsync("/api/events", Content($"gz-{run}", "application/json", "gzip"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, gzip.StatusCode);
        Assert.Contains("Content-Encoding", (await gzip.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await fixture.Http.GetAsync($"/api/products/gz-{run}")).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await fixture.Http.PostAsync("/api/events", Content($"q-{run}", "application/json; charset=\"utf-8\""))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await fixture.Http.PostAsync("/api/events", Content($"id-{run}", "application/json", "identity"))).StatusCode);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType,
            (await fixture.Http.PostAsync("/api/events", Content($"two-{run}", "application/json; charset=utf-8; charset=latin1"))).StatusCode);

        var metrics = await fixture.Http.GetStringAsync("/metrics");
        var buckets = metrics.Split('\n').Where(l => l.StartsWith("http_server_request_duration_seconds_bucket", StringComparison.Ordinal)).ToList();
        Assert.Contains(buckets, l => l.Contains("le=\"0.001\""));
        Assert.Contains(buckets, l => l.Contains("le=\"30\""));
    }

    /// <summary>A stream that hands out one byte per read, as a slow pipe may.</summary>
    private sealed class OneByteAtATime(byte[] bytes) : MemoryStream(bytes)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default) =>
            base.ReadAsync(buffer[..Math.Min(1, buffer.Length)], ct);
    }
}
