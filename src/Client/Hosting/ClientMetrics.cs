using System.Diagnostics.Metrics;
using Enrichment.Client.Ingest;
using OpenTelemetry.Metrics;

namespace Enrichment.Client.Hosting;

/// <summary>Client-side instruments (meter "Enrichment.Orleans.Client") and the /metrics Prometheus endpoint.</summary>
public sealed class ClientMetrics
{
    public const string MeterName = "Enrichment.Orleans.Client";
    private readonly Counter<long> _events;

    public ClientMetrics(IMeterFactory meters)
    {
        _events = meters.Create(MeterName).CreateCounter<long>("enrichment.ingest.events", description: "Ingested events by status");
    }

    public void Ingested(IngestStatus status) => _events.Add(1, new KeyValuePair<string, object?>("status", status.ToString()));

    public static void AddTo(IServiceCollection services)
    {
        services.AddSingleton<ClientMetrics>();
        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(MeterName)
            .AddAspNetCoreInstrumentation()
            .AddPrometheusExporter());
    }
}
