using System.Diagnostics.Metrics;
using Enrichment.Client.Ingest;
using System.Reflection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace Enrichment.Client.Hosting;

/// <summary>Client-side instruments (meter "Enrichment.Orleans.Client") and the /metrics Prometheus endpoint.</summary>
public sealed class ClientMetrics
{
    public const string MeterName = "Enrichment.Orleans.Client";
    public const string ServiceName = "enrichment-client";

    public static string Version { get; } =
        typeof(ClientMetrics).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
    /// <summary>Latency buckets from a millisecond to half a minute, as the silos' (README, Metrics).</summary>
    public static readonly IReadOnlyList<double> SecondsBuckets =
        [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

    private readonly Counter<long> _events;

    public ClientMetrics(IMeterFactory meters)
    {
        _events = meters.Create(MeterName).CreateCounter<long>("enrichment.ingest.events", description: "Ingested events by status");
    }

    public void Ingested(IngestStatus status) => _events.Add(1, new KeyValuePair<string, object?>("status", status.ToString()));

    public static void AddTo(IServiceCollection services)
    {
        services.AddSingleton<ClientMetrics>();
        // Named on every export (Prometheus target_info), instead of service_name="unknown_service:dotnet".
        services.AddOpenTelemetry().ConfigureResource(r => r.AddService(ServiceName, serviceVersion: Version,
                serviceInstanceId: Environment.MachineName + ":" + Environment.ProcessId))
            .WithMetrics(metrics => metrics
            .AddMeter(MeterName)
            .AddAspNetCoreInstrumentation()
            // ASP.NET Core advises 5 ms to 10 s; the documented range (and the silos') is 1 ms to 30 s.
            .AddView("http.server.request.duration", new ExplicitBucketHistogramConfiguration { Boundaries = [.. SecondsBuckets] })
            .AddPrometheusExporter());
    }
}
