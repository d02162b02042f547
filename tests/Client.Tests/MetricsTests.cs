using System.Net;
using Enrichment.Client.Ingest;
using Enrichment.TestSupport;

namespace Enrichment.Client.Tests;

[Collection(ClientApiCollection.Name)]
[Trait("Category", "Cluster")]
public sealed class MetricsTests(ClientApiFixture fixture)
{
    [Fact]
    public async Task Prometheus_endpoint_reports_ingest_and_http_metrics()
    {
        // A host of its own, started here: OpenTelemetry's meter provider subscribes to meters by name across the whole
        // process, so the shared host's streams ended when another test's host (same meter names) was disposed before
        // this test ran, and the scrape never showed the counts (it failed whenever such a test ran first).
        var (app, http) = await fixture.StartAppAsync(new Dictionary<string, string?>());
        await using var _ = app;
        using var __ = http;
        var rejected = await http.PostAsync("/api/events", new StringContent(
            """[{"eventId":"e-metrics","productId":"metrics probe","version":1,"name":"n"}]""", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, rejected.StatusCode);
        await http.GetAsync("/api/products/metrics-probe");

        // The exporter caches a scrape briefly and instruments report when their request completes: scrape until
        // both have shown up (or the deadline passes), never once at a moment that may come too early.
        var body = await Eventually.Get(async () =>
        {
            var response = await http.GetAsync("/metrics");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return await response.Content.ReadAsStringAsync();
        }, b => b.Contains("status=\"Rejected\"") && b.Contains("http_server_request_duration_seconds"), TimeSpan.FromSeconds(30),
            "the rejected event and the request duration on /metrics", TimeSpan.FromMilliseconds(250), b => $"{b.Length} characters");

        Assert.Contains("enrichment_ingest_events_total{", body);
        Assert.Contains("status=\"Rejected\"", body);
        Assert.Contains("http_server_request_duration_seconds", body);
    }

    [Fact]
    public async Task Client_metrics_name_the_service_and_its_version()
    {
        var body = await fixture.Http.GetStringAsync("/metrics");

        var target = Assert.Single(body.Split('\n'), l => l.StartsWith("target_info{", StringComparison.Ordinal));
        Assert.Contains("service_name=\"enrichment-client\"", target);
        Assert.Contains("service_version=\"", target);
        Assert.DoesNotContain("unknown_service", body);
    }
}
