using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Enrichment.Abstractions;
using Enrichment.Client.Ingest;

using Enrichment.TestSupport;

namespace Enrichment.Client.Tests;

[Collection(ClientApiCollection.Name)]
[Trait("Category", "Cluster")]
public sealed class BadEventTests(ClientApiFixture fixture) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("enrichment-ndjson-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static byte[] SampleJpeg(string id) => File.ReadAllBytes(Path.Combine(RepoPaths.SampleImages, id + ".jpg"));

    private static string FirstSampleId() => CatalogIngestTests.ReadSampleRows()[0].Id;

    [Fact]
    public async Task Ndjson_file_keeps_good_events_and_rejects_each_bad_one_with_its_reason()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        File.Copy(Path.Combine(RepoPaths.SampleImages, FirstSampleId() + ".jpg"), Path.Combine(_dir, "good.jpg"));
        await File.WriteAllBytesAsync(Path.Combine(_dir, "huge.jpg"), [0xFF, 0xD8, 0xFF, .. new byte[200_000]]);
        await File.WriteAllTextAsync(Path.Combine(_dir, "text.jpg"), "this is not an image");
        string Line(string id, string extra = "") =>
            $$"""{"eventId":"{{id}}-e","productId":"{{id}}","version":1,"name":"Good {{id}}","attributes":{"colour":"Red"} {{extra}}}""";
        var lines = new (string Json, string? Reason)[]
        {
            (Line($"good1-{run}", ""","imagePath":"good.jpg" """), null),
            (Line($"good2-{run}"), null),
            ("{not json", "malformed JSON"),
            ("[1,2,3]", "expected a JSON object"),
            ($$"""{"eventId":"x","productId":"noversion-{{run}}","name":"n"}""", "version is required"),
            (Line($"huge-{run}", ""","imagePath":"huge.jpg" """), "the limit is 100000"),
            (Line($"text-{run}", ""","imagePath":"text.jpg" """), "not a JPEG, PNG or WebP"),
            (Line($"escape-{run}", ""","imagePath":"../../etc/passwd" """), "points outside"),
            (Line($"gone-{run}", ""","imagePath":"missing.jpg" """), "image file not found"),
            (Line($"bad64-{run}", ""","imageBase64":"***" """), "not valid base64"),
            ($$"""{"eventId":"e","productId":"../../etc-{{run}}","version":1,"name":"n"}""", "may contain only"),
            ($$"""{"eventId":"e","productId":"ctl-{{run}}","version":1,"name":"a\u0000b\u001b[2J"}""", "control characters"),
            ($$"""{"eventId":"e","productId":"long-{{run}}","version":1,"name":"{{new string('x', 600)}}"}""", "longer than 512"),
            ($$"""{"eventId":"e","productId":"attr-{{run}}","version":1,"name":"n","attributes":{"DROP TABLE":"x"} }""", "attribute name"),
        };
        var path = Path.Combine(_dir, "events.ndjson");
        await File.WriteAllLinesAsync(path, lines.Select(l => l.Json));

        var results = new List<IngestResult>();
        var sources = IngestSources.From(null, null, path, null)!;
        await fixture.Ingestor.IngestAsync(sources, r => { lock (results) results.Add(r); });

        Assert.Equal(lines.Length, results.Count);
        for (var i = 0; i < lines.Length; i++)
        {
            var result = results.Single(r => r.Source == $"events.ndjson:{i + 1}");
            if (lines[i].Reason is { } reason)
            {
                Assert.Equal(IngestStatus.Rejected, result.Status);
                Assert.Contains(reason, result.Reason);
            }
            else
            {
                Assert.Equal(IngestStatus.Applied, result.Status);
            }
        }
        var good = await fixture.Http.GetFromJsonAsync<ProductView>($"/api/products/good1-{run}", Json.Options);
        Assert.NotNull(good!.Image);
        Assert.Null((await fixture.Http.GetFromJsonAsync<ProductView>($"/api/products/good2-{run}", Json.Options))!.Image);

        var rejected = await fixture.Http.GetFromJsonAsync<RejectedPage>("/api/rejected?take=500", Json.Options);
        Assert.Contains(rejected!.Items, r => r.ProductId == $"huge-{run}" && r.Reason.Contains("the limit"));
        Assert.Contains(rejected.Items, r => r.ProductId == $"ctl-{run}");
        Assert.DoesNotContain(rejected.Items, r => (r.RawExcerpt ?? "").Any(char.IsControl) || (r.ProductId ?? "").Any(char.IsControl));
    }

    [Fact]
    public async Task Http_post_accepts_an_array_and_answers_per_event()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var image = Convert.ToBase64String(SampleJpeg(FirstSampleId()));
        var body = $$"""
            [
              {"eventId":"h1","productId":"http-{{run}}","version":2,"name":"Posted Shirt","attributes":{"colour":"Olive","type":"Shirts"},"imageBase64":"{{image}}"},
              {"eventId":"h0","productId":"http-{{run}}","version":1,"name":"Older","attributes":{"colour":"Pink"} },
              {"eventId":"h1","productId":"http-{{run}}","version":2,"name":"Posted Shirt","attributes":{"colour":"Olive","type":"Shirts"} },
              {"eventId":"hx","productId":"http-{{run}}","version":3,"name":"File path","imagePath":"/etc/passwd"}
            ]
            """;
        var response = await fixture.Http.PostAsync("/api/events", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var results = (await response.Content.ReadFromJsonAsync<JsonElement>(Json.Options)).GetProperty("results").EnumerateArray()
            .Select(r => Enum.Parse<IngestStatus>(r.GetProperty("status").GetString()!)).ToList();
        Assert.Equal([IngestStatus.Applied, IngestStatus.Stale, IngestStatus.Duplicate, IngestStatus.Rejected], results);
        var view = await fixture.Http.GetFromJsonAsync<ProductView>($"/api/products/http-{run}", Json.Options);
        Assert.Equal("Olive", view!.KnownAttributes[AttributeNames.Colour]);
        Assert.Equal(2, view.Version);
    }

    [Fact]
    public async Task Two_events_claiming_one_version_with_different_content_are_a_conflict_not_silently_stale()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var body = $$"""
            [
              {"eventId":"c1","productId":"conflict-{{run}}","version":5,"name":"Blue Shirt","attributes":{"colour":"Blue"} },
              {"eventId":"c2","productId":"conflict-{{run}}","version":5,"name":"Blue Shirt","attributes":{"colour":"Blue"} },
              {"eventId":"c3","productId":"conflict-{{run}}","version":5,"name":"Red Shirt","attributes":{"colour":"Red"} },
              {"eventId":"c4","productId":"conflict-{{run}}","version":{{long.MaxValue}},"name":"Frozen forever?"}
            ]
            """;
        var response = await fixture.Http.PostAsync("/api/events", new StringContent(body, Encoding.UTF8, "application/json"));

        var results = (await response.Content.ReadFromJsonAsync<JsonElement>(Json.Options)).GetProperty("results").EnumerateArray().ToList();
        Assert.Equal([IngestStatus.Applied, IngestStatus.Stale, IngestStatus.Conflict, IngestStatus.Rejected],
            results.Select(r => Enum.Parse<IngestStatus>(r.GetProperty("status").GetString()!)));
        Assert.Contains("different content", results[2].GetProperty("reason").GetString());
        Assert.Contains("version must be between 0 and", results[3].GetProperty("reason").GetString());
        var view = await fixture.Http.GetFromJsonAsync<ProductView>($"/api/products/conflict-{run}", Json.Options);
        Assert.Equal(("Blue Shirt", 5L), (view!.Name, view.Version));
    }

    [Fact]
    public async Task Ndjson_post_with_a_broken_line_rejects_only_that_line()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var body = $$"""
            {"eventId":"n1","productId":"nd-{{run}}","version":1,"name":"Line one"}
            {"eventId":"n2","productId":
            """;
        var response = await fixture.Http.PostAsync("/api/events", new StringContent(body, Encoding.UTF8, "application/x-ndjson"));
        var results = (await response.Content.ReadFromJsonAsync<JsonElement>(Json.Options)).GetProperty("results").EnumerateArray().ToList();

        Assert.Equal(2, results.Count);
        Assert.Equal(nameof(IngestStatus.Applied), results[0].GetProperty("status").GetString());
        Assert.Equal(nameof(IngestStatus.Rejected), results[1].GetProperty("status").GetString());
        Assert.NotNull(await fixture.Http.GetFromJsonAsync<ProductView>($"/api/products/nd-{run}", Json.Options));
    }

    [Fact]
    public async Task Empty_body_is_a_bad_request()
    {
        var response = await fixture.Http.PostAsync("/api/events", new StringContent("  ", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}
