using Enrichment.Grains.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;

namespace Enrichment.Silo.Hosting;

/// <summary>Prometheus scrape endpoint for the silo's own and Orleans' meters; bound from "Metrics".</summary>
public static class SiloMetrics
{
    public const string Section = "Metrics";

    public sealed class Options
    {
        /// <summary>Port of http://127.0.0.1:PORT/metrics; 0 leaves the endpoint off.</summary>
        public int Port { get; set; }
        public string Host { get; set; } = "127.0.0.1";
    }

    public static IServiceCollection AddSiloMetrics(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(Section).Get<Options>() ?? new Options();
        if (options.Port <= 0)
        {
            return services;
        }
        services.AddOpenTelemetry().ConfigureResource(r => SiloResource.Configure(r)).WithMetrics(metrics => metrics
            .AddMeter(EnrichmentMetrics.MeterName, "Microsoft.Orleans")
            .AddPrometheusHttpListener(o =>
            {
                o.Host = options.Host;
                o.Port = options.Port;
            }));
        return services;
    }
}
