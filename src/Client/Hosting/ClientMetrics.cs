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
            .AddPrometheusExporter());
    }
}
