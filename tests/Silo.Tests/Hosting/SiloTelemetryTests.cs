using System.Diagnostics.Metrics;
using Enrichment.Grains.Diagnostics;
using Enrichment.TestSupport;

namespace Enrichment.Silo.Tests.Hosting;

/// <summary>Issue 10, item 11: silo metrics say which service and silo they come from, and latencies have seconds-scale buckets.</summary>
[Trait("Category", "Processes")]
public sealed class SiloTelemetryTests
{
    [Fact]
    public async Task Silo_metrics_name_the_service_its_version_and_the_silo()
    {
        var (metricsPort, siloPort) = (LoopbackPorts.Free(), LoopbackPorts.Free().ToString());
        await using var silo = await RunningSilo.StartAsync(TimeSpan.FromMinutes(2),
            "--silo-port", siloPort, "--gateway-port", LoopbackPorts.Free().ToString(),
            "--primary-silo-port", siloPort, "--metrics-port", metricsPort.ToString(), "--cluster-id", $"telemetry-{Guid.NewGuid():N}");
        using var http = new HttpClient();

        var body = await http.GetStringAsync($"http://127.0.0.1:{metricsPort}/metrics");

        var target = Assert.Single(body.Split('\n'), l => l.StartsWith("target_info{", StringComparison.Ordinal));
        Assert.Contains("service_name=\"enrichment-silo\"", target);
        Assert.Contains("service_version=\"", target);
        Assert.Contains("orleans_silo_name=\"", target);
        Assert.DoesNotContain("unknown_service", body);
    }

    [Fact]
    public void Every_seconds_histogram_declares_buckets_from_milliseconds_to_tens_of_seconds()
    {
        using var meters = new MeterFactory();
        var metrics = new EnrichmentMetrics(meters);
        var seconds = new List<Instrument>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, _) =>
            {
                if (instrument.Meter == metrics.Meter && instrument.Unit == "s")
                {
                    seconds.Add(instrument);
                }
            },
        };
        listener.Start();

        Assert.NotEmpty(seconds);
        foreach (var instrument in seconds)
        {
            var buckets = Assert.IsType<Histogram<double>>(instrument).Advice?.HistogramBucketBoundaries;
            Assert.True(buckets is not null, $"{instrument.Name} has no bucket advice");
            Assert.Contains(0.005, buckets);
            Assert.Contains(1.0, buckets);
            Assert.True(buckets.Max() >= 10, $"{instrument.Name} tops out at {buckets.Max()} s");
        }
    }
}
