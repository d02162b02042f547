using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Enrichment.Client.Tests;

/// <summary>
/// Issue 10, acceptance: a bounded load of mixed good and hostile requests from 32 concurrent clients over loopback.
/// No 5xx but documented 503s, the host keeps serving, and every event that was accepted can be read back.
/// </summary>
[Collection(ClientApiCollection.Name)]
[Trait("Category", "Cluster")]
public sealed class HostileLoadTests(ClientApiFixture fixture)
{
    private const int Requests = 4_000;
    private const int Clients = 32;

    private sealed record Probe(string Name, Func<int, HttpRequestMessage> Build, HttpStatusCode[] Expected, bool AcceptsEvents = false);

    private static HttpRequestMessage Post(string body, string contentType, string path = "/api/events") =>
        new(HttpMethod.Post, path) { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body)) { Headers = { { "Content-Type", contentType } } } };

    private static string Event(string id, string extra = "") =>
        $$$"""{"eventId":"e-{{{id}}}","productId":"{{{id}}}","version":1,"name":"Load {{{id}}}","attributes":{"colour":"Loadcolour"{{{extra}}}}}""";

    [Fact]
    public async Task Thousands_of_mixed_requests_from_32_clients_give_no_5xx_and_lose_no_accepted_event()
    {
        var run = Guid.NewGuid().ToString("N")[..6];
        string Id(int i, int k = 0) => $"load-{run}-{i}-{k}";
        var manyNames = string.Concat(Enumerable.Range(0, 5_000).Select(n => $",\"Bad {n}\":\"x\""));
        var probes = new Probe[]
        {
            new("one good event", i => Post(Event(Id(i)), "application/json"), [HttpStatusCode.OK], AcceptsEvents: true),
            new("ndjson of three", i => Post(string.Join("\n", Enumerable.Range(0, 3).Select(k => Event(Id(i, k)))), "application/x-ndjson"), [HttpStatusCode.OK], AcceptsEvents: true),
            new("5,000 bad attribute names", i => Post(Event(Id(i), manyNames), "application/json"), [HttpStatusCode.OK]),
            new("text/plain cross-site form", i => Post(Event(Id(i)), "text/plain"), [HttpStatusCode.UnsupportedMediaType]),
            new("NUL in a search value", _ => new(HttpMethod.Get, "/api/products?type=%00"), [HttpStatusCode.BadRequest]),
            new("limit overflow", _ => new(HttpMethod.Get, "/api/products?colour=Loadcolour&limit=2147483648"), [HttpStatusCode.BadRequest]),
            new("negative take", _ => new(HttpMethod.Get, "/api/rejected?take=-1"), [HttpStatusCode.BadRequest]),
            new("unknown route", i => new(HttpMethod.Get, $"/api/nothing/{i}"), [HttpStatusCode.NotFound]),
            new("invalid UTF-8", _ => new(HttpMethod.Post, "/api/events") { Content = new ByteArrayContent([0x7B, 0xC3, 0x28, 0x7D]) { Headers = { { "Content-Type", "application/json" } } } }, [HttpStatusCode.BadRequest]),
            new("trailing newline id", i => Post(Event(Id(i) + "\\n"), "application/json"), [HttpStatusCode.OK]),
            new("NaN learning rate", _ =>
            {
                var r = Post("""{"learningRate":"NaN"}""", "application/json", "/api/admin/training");
                r.Headers.Add("X-Admin-Token", ClientApiFixture.AdminToken);
                return r;
            }, [HttpStatusCode.BadRequest]),
            new("read a product", i => new(HttpMethod.Get, $"/api/products/{Id(i - 11)}"), [HttpStatusCode.OK, HttpStatusCode.NotFound]),
            new("search", _ => new(HttpMethod.Get, "/api/products?colour=Loadcolour&limit=50"), [HttpStatusCode.OK]),
            new("rejected list", _ => new(HttpMethod.Get, "/api/rejected?take=50"), [HttpStatusCode.OK]),
        };

        var unexpected = new ConcurrentQueue<string>();
        var accepted = new ConcurrentBag<string>();
        await Parallel.ForEachAsync(Enumerable.Range(0, Requests), new ParallelOptions { MaxDegreeOfParallelism = Clients }, async (i, ct) =>
        {
            var probe = probes[i % probes.Length];
            using var response = await fixture.Http.SendAsync(probe.Build(i), ct);
            if (!probe.Expected.Contains(response.StatusCode) && response.StatusCode != HttpStatusCode.ServiceUnavailable)
            {
                unexpected.Enqueue($"{probe.Name}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}");
                return;
            }
            if (probe.AcceptsEvents && response.StatusCode == HttpStatusCode.OK)
            {
                var results = (await response.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("results").EnumerateArray();
                foreach (var r in results.Where(r => r.GetProperty("status").GetString() == "Applied"))
                {
                    accepted.Add(r.GetProperty("productId").GetString()!);
                }
            }
        });

        Assert.True(unexpected.IsEmpty, string.Join("\n", unexpected.Take(20)));
        Assert.Equal(HttpStatusCode.OK, (await fixture.Http.GetAsync("/healthz/ready")).StatusCode);
        var expectedAccepted = Enumerable.Range(0, Requests).Count(i => probes[i % probes.Length].AcceptsEvents && i % probes.Length == 0)
                               + 3 * Enumerable.Range(0, Requests).Count(i => i % probes.Length == 1);
        Assert.Equal(expectedAccepted, accepted.Count);
        var lost = new ConcurrentQueue<string>();
        await Parallel.ForEachAsync(accepted, new ParallelOptions { MaxDegreeOfParallelism = Clients }, async (id, ct) =>
        {
            using var response = await fixture.Http.GetAsync($"/api/products/{id}", ct);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                lost.Enqueue($"{id}: {(int)response.StatusCode}");
            }
        });
        Assert.True(lost.IsEmpty, $"{lost.Count} accepted events cannot be read back: {string.Join(", ", lost.Take(10))}");
    }
}
