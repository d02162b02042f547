using System.Reflection;
using OpenTelemetry.Resources;

namespace Enrichment.Silo.Hosting;

/// <summary>
/// Who is reporting, on every exported metric (Prometheus target_info): without it both hosts said
/// service_name="unknown_service:dotnet" and silos could not be told apart.
/// </summary>
public sealed class SiloResource(ILocalSiloDetails silo) : IResourceDetector
{
    public const string ServiceName = "enrichment-silo";

    public static string Version { get; } =
        typeof(SiloResource).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    public Resource Detect() => new(new Dictionary<string, object>
    {
        ["orleans.silo.name"] = silo.Name,
        ["orleans.silo.address"] = silo.SiloAddress.ToString(),
        ["orleans.cluster.id"] = silo.ClusterId,
    });

    public static ResourceBuilder Configure(ResourceBuilder resource) => resource
        .AddService(ServiceName, serviceVersion: Version, serviceInstanceId: Environment.MachineName + ":" + Environment.ProcessId)
        .AddDetector(services => new SiloResource((ILocalSiloDetails)services.GetService(typeof(ILocalSiloDetails))!));
}
