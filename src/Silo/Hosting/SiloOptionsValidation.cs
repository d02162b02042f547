using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Enrichment.Silo.Hosting;

/// <summary>
/// Rules for the silo's options, registered with ValidateOnStart so a host never starts on values it cannot use, and
/// run by <see cref="SiloPreflight"/> before anything touches PostgreSQL, so a mistake is one clear line, not a stack trace.
/// </summary>
public static class SiloOptionsValidation
{
    public static readonly IReadOnlyList<string> Accelerators = ["cuda", "cpu"];

    public static IServiceCollection AddSiloOptionsValidation(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SiloHostOptions>().Bind(configuration.GetSection(SiloHostOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SiloHostOptions>, HostRules>();
        services.AddRoleOptionsValidation();
        services.AddOptions<SiloMetrics.Options>().Bind(configuration.GetSection(SiloMetrics.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SiloMetrics.Options>, MetricsRules>();
        services.AddOptions<SiloHealth.Options>().Bind(configuration.GetSection(SiloHealth.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SiloHealth.Options>, HealthRules>();
        return services;
    }

    /// <summary>Every problem with the configured options, as lines naming the switch or key to fix.</summary>
    public static IReadOnlyList<string> Problems(IConfiguration configuration)
    {
        var host = configuration.GetSection(SiloHostOptions.Section).Get<SiloHostOptions>() ?? new();
        var metrics = configuration.GetSection(SiloMetrics.Section).Get<SiloMetrics.Options>() ?? new();
        var health = configuration.GetSection(SiloHealth.Section).Get<SiloHealth.Options>() ?? new();
        return [.. new HostRules().Check(host), .. SiloRole.Problems(configuration, host), .. new MetricsRules().Check(metrics), .. new HealthRules().Check(health)];
    }

    private static bool IsPort(int port) => port is > 0 and <= 65535;

    private abstract class Rules<T> : IValidateOptions<T> where T : class
    {
        public abstract IEnumerable<string> Check(T options);

        public ValidateOptionsResult Validate(string? name, T options) =>
            Check(options).ToList() is { Count: > 0 } problems ? ValidateOptionsResult.Fail(problems) : ValidateOptionsResult.Success;
    }

    private sealed class HostRules : Rules<SiloHostOptions>
    {
        public override IEnumerable<string> Check(SiloHostOptions o)
        {
            if (!IsPort(o.SiloPort))
            {
                yield return $"--silo-port (Cluster:SiloPort) must be a port number 1-65535, got {o.SiloPort}";
            }
            if (!IsPort(o.GatewayPort))
            {
                yield return $"--gateway-port (Cluster:GatewayPort) must be a port number 1-65535, got {o.GatewayPort}";
            }
            if (o.SiloPort == o.GatewayPort)
            {
                yield return $"--silo-port and --gateway-port must differ (both are {o.SiloPort})";
            }
            if (!o.UsesPostgres && !IsPort(o.PrimarySiloPort))
            {
                yield return $"--primary-silo-port (Cluster:PrimarySiloPort) must be a port number 1-65535, got {o.PrimarySiloPort}";
            }
            if (!string.IsNullOrWhiteSpace(o.Accelerator) && !Accelerators.Contains(o.Accelerator.Trim(), StringComparer.OrdinalIgnoreCase))
            {
                yield return $"--accelerator (Cluster:Accelerator) must be one of {string.Join(", ", Accelerators)} or empty, got '{o.Accelerator}'";
            }
            if (string.IsNullOrWhiteSpace(o.ClusterId) || string.IsNullOrWhiteSpace(o.ServiceId))
            {
                yield return "--cluster-id (Cluster:ClusterId) and Cluster:ServiceId must not be empty";
            }
            if (o.Kubernetes && !o.UsesPostgres)
            {
                yield return "Cluster:Kubernetes needs Cluster:Postgres: pods find each other through the membership table, never by localhost clustering";
            }
            if (o.UsesPostgres && string.IsNullOrWhiteSpace(o.AdvertisedAddress))
            {
                yield return "--advertised-address (Cluster:AdvertisedAddress) must be an IP, a host name or auto";
            }
            if (o.PostgresPoolSize is < 1 or > 1000 || o.QueuePoolSize is < 1 or > 1000 || o.CatalogPoolSize is < 1 or > 1000)
            {
                yield return "Cluster:PostgresPoolSize, Cluster:QueuePoolSize and Cluster:CatalogPoolSize must be 1-1000 connections, " +
                             $"got {o.PostgresPoolSize}, {o.QueuePoolSize} and {o.CatalogPoolSize}";
            }
        }
    }

    private sealed class HealthRules : Rules<SiloHealth.Options>
    {
        public override IEnumerable<string> Check(SiloHealth.Options o)
        {
            if (o.Port is < 0 or > 65535)
            {
                yield return $"--health-port (Health:Port) must be 0 (off) or a port number 1-65535, got {o.Port}";
            }
        }
    }

    private sealed class MetricsRules : Rules<SiloMetrics.Options>
    {
        public override IEnumerable<string> Check(SiloMetrics.Options o)
        {
            if (o.Port is < 0 or > 65535)
            {
                yield return $"--metrics-port (Metrics:Port) must be 0 (off) or a port number 1-65535, got {o.Port}";
            }
        }
    }
}
