using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Enrichment.Abstractions;
using Enrichment.Client.Hosting;
using Enrichment.Persistence;
using Enrichment.Silo.Hosting;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Enrichment.TestSupport;

namespace Enrichment.Silo.Tests;

/// <summary>
/// Issue 22, item 1: PostgreSQL stops under a running two-silo cluster and its HTTP API. Every read and action that
/// needs storage answers 503 with Retry-After (grains not in memory read their state on activation, which is where
/// the outage used to escape as a 500), ingest reports each event Failed with a readable reason, and once PostgreSQL
/// is back nothing acknowledged is lost and a re-send applies what failed.
/// </summary>
[Trait("Category", "Postgres")]
public sealed class StorageOutageTests
{
    [Fact]
    public async Task PostgreSQL_outage_is_503_with_retry_after_on_every_read_and_action_and_loses_nothing()
    {
        // Durable, as the real store runs: "acknowledged" means committed to disk, which the fast test settings
        // (synchronous_commit off) would not promise across an immediate stop.
        await using var server = await PostgresServer.StartAsync(durable: true);
        var cs = await server.CreateDatabaseAsync("outage");
        await PostgresSchema.ApplyAsync(cs);
        var image = await File.ReadAllBytesAsync(Directory.GetFiles(RepoPaths.SampleImages, "*.jpg")[0]);
        var sha = Convert.ToHexStringLower(SHA256.HashData(image));
        string ByReference() => $$"""{"eventId":"r1","productId":"by-reference","version":1,"name":"Outage by reference","images":[{"sha256":"{{sha}}"}]}""";
        string Event(string productId, string eventId, int version, string colour, bool withImage = false) =>
            $$"""{"eventId":"{{eventId}}","productId":"{{productId}}","version":{{version}},"name":"Outage {{productId}}","attributes":{"colour":"{{colour}}"}{{(withImage ? $",\"imageBase64\":\"{Convert.ToBase64String(image)}\"" : "")}}}""";

        await PostgresFixture.WithClusterAsync(cs, async cluster =>
        {
            var url = $"http://127.0.0.1:{LoopbackPorts.Free()}";
            var config = new Dictionary<string, string?>
            {
                ["Cluster:ClusterId"] = cluster.Options.ClusterId,
                ["Cluster:ServiceId"] = cluster.Options.ServiceId,
                ["Admin:Token"] = "outage-admin",
                ["Ingest:MaxAttempts"] = "2",
            };
            // The silos' gateways named directly: the client must not need PostgreSQL (its membership table) to find them.
            var gateways = cluster.Silos.Select(s => s.GatewayAddress.Endpoint.Port).ToArray();
            for (var i = 0; i < gateways.Length; i++)
            {
                config[$"Cluster:GatewayPorts:{i}"] = gateways[i].ToString();
            }
            await using var app = ClientApp.Create(config, url);
            await app.StartAsync();
            using var http = new HttpClient { BaseAddress = new Uri(url) };
            http.DefaultRequestHeaders.Add("X-Admin-Token", "outage-admin");

            var before = await PostEventsAsync(http, Event("kept", "k1", 1, "Red", withImage: true));
            Assert.Equal(HttpStatusCode.OK, before.Status);
            // Nothing in memory any more: every read below has to activate a grain, i.e. read its state from storage.
            await cluster.Client.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);

            var ready = new StorageReachableCheck(Options.Create(new SiloHostOptions { Postgres = cs }));
            Assert.Equal(HealthStatus.Healthy, (await ready.CheckHealthAsync(new HealthCheckContext())).Status);
            await server.StopForOutageAsync();
            try
            {
                // A silo whose storage is gone says so on /healthz/ready (503 with this reason), as the client does.
                var notReady = await ready.CheckHealthAsync(new HealthCheckContext());
                Assert.Equal(HealthStatus.Unhealthy, notReady.Status);
                Assert.Contains("PostgreSQL does not answer", notReady.Description);

                var calls = new (string Name, Func<Task<HttpResponseMessage>> Send)[]
                {
                    ("product", () => http.GetAsync("/api/products/kept")),
                    ("image", () => http.GetAsync($"/api/images/{sha}")),
                    ("search", () => http.GetAsync("/api/products?colour=Red")),
                    ("rejected", () => http.GetAsync("/api/rejected")),
                    // Grain state (Orleans' storage, read on activation): the model registry.
                    ("models", () => http.GetAsync("/api/models")),
                    ("review", () => http.PostAsJsonAsync("/api/admin/products/kept/review", new { attribute = "colour", value = "Blue", by = "tester" })),
                    ("re-enrich", () => http.PostAsync("/api/admin/products/kept/enrich", null)),
                };
                foreach (var (name, send) in calls)
                {
                    using var response = await send();
                    var body = await response.Content.ReadAsStringAsync();
                    Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, $"{name}: {(int)response.StatusCode} {body}");
                    Assert.True(response.Headers.RetryAfter is not null, $"{name}: no Retry-After");
                    Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                }

                // The third names a photo already in the store: reading it is retried like the writes, and then the
                // event is Failed like the others (an outage refuses no good reference, and is no "unexpected error").
                var during = await PostEventsAsync(http, Event("kept", "k2", 2, "Green"), Event("fresh", "f1", 1, "Blue"), ByReference());
                Assert.Equal(HttpStatusCode.ServiceUnavailable, during.Status);
                Assert.Equal(3, during.Results.Count);
                Assert.All(during.Results, r =>
                {
                    Assert.Equal("Failed", r.GetProperty("status").GetString());
                    var reason = r.GetProperty("reason").GetString()!;
                    Assert.Contains("storage", reason, StringComparison.OrdinalIgnoreCase);
                    Assert.DoesNotContain("codec", reason, StringComparison.OrdinalIgnoreCase);
                    Assert.DoesNotContain("unexpected", reason, StringComparison.OrdinalIgnoreCase);
                });
            }
            finally
            {
                await server.ResumeAsync();
            }

            Assert.Equal(HealthStatus.Healthy, (await ready.CheckHealthAsync(new HealthCheckContext())).Status);
            // Back: the product that was acknowledged before is intact, and a re-send of what failed applies.
            var kept = await EventuallyAsync(() => http.GetAsync("/api/products/kept"));
            Assert.Equal(HttpStatusCode.OK, kept.StatusCode);
            var view = await kept.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal("Red", view.GetProperty("knownAttributes").GetProperty("colour").GetString());
            Assert.Equal(HttpStatusCode.OK, (await EventuallyAsync(() => http.GetAsync($"/api/images/{sha}"))).StatusCode);
            var resent = await PostEventsAsync(http, Event("kept", "k2", 2, "Green"), Event("fresh", "f1", 1, "Blue"), ByReference());
            Assert.Equal(HttpStatusCode.OK, resent.Status);
            Assert.All(resent.Results, r => Assert.Equal("Applied", r.GetProperty("status").GetString()));
            Assert.Equal("Green", (await http.GetFromJsonAsync<JsonElement>("/api/products/kept")).GetProperty("knownAttributes").GetProperty("colour").GetString());
            Assert.Equal("Blue", (await http.GetFromJsonAsync<JsonElement>("/api/products/fresh")).GetProperty("knownAttributes").GetProperty("colour").GetString());
            Assert.Equal(sha, (await http.GetFromJsonAsync<JsonElement>("/api/products/by-reference")).GetProperty("image").GetProperty("sha256").GetString());
        }, overTcp: true);
    }

    private static async Task<(HttpStatusCode Status, List<JsonElement> Results)> PostEventsAsync(HttpClient http, params string[] events)
    {
        using var response = await http.PostAsync("/api/events", new StringContent($"[{string.Join(",", events)}]", Encoding.UTF8, "application/json"));
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (response.StatusCode, body.GetProperty("results").EnumerateArray().ToList());
    }

    /// <summary>The first answer that is not a 503 within 60 s (connection pools and membership recover within a few seconds).</summary>
    private static Task<HttpResponseMessage> EventuallyAsync(Func<Task<HttpResponseMessage>> send) =>
        Eventually.Get(send, response => response.StatusCode != HttpStatusCode.ServiceUnavailable, TimeSpan.FromSeconds(60),
            "an answer other than 503 once PostgreSQL is back", TimeSpan.FromMilliseconds(500), response => $"{(int)response.StatusCode}");
}
