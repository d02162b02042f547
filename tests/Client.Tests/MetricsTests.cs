using System.Net;
using Enrichment.Client.Ingest;

namespace Enrichment.Client.Tests;

[Collection(ClientApiCollection.Name)]
public sealed class MetricsTests(ClientApiFixture fixture)
{
    [Fact]
    public async Task Prometheus_endpoint_reports_ingest_and_http_metrics()
    {
        await fixture.Ingestor.IngestOneAsync(NdjsonEventReader.Parse("{\"productId\":\"metrics probe\"}", "metrics:1", imageRoot: null));
        await fixture.Http.GetAsync("/api/products/metrics-probe");

        // The exporter caches a scrape briefly and instruments report when their request completes: scrape until
        // both have shown up (or the deadline passes), never once at a moment that may come too early.
        string body = "";
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!(body.Contains("status=\"Rejected\"") && body.Contains("http_server_request_duration_seconds")) && DateTime.UtcNow < deadline)
        {
            var response = await fixture.Http.GetAsync("/metrics");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            body = await response.Content.ReadAsStringAsync();
            await Task.Delay(250);
        }

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
