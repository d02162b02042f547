namespace Enrichment.Silo.Hosting;

/// <summary>The silo's switches and the configuration keys they set; <see cref="SiloCommand"/> builds its options from this table.</summary>
public static class SiloCommandLine
{
    public static readonly IDictionary<string, string> SwitchMappings = new Dictionary<string, string>
    {
        ["--postgres"] = "Cluster:Postgres",
        ["--cluster-id"] = "Cluster:ClusterId",
        ["--silo-port"] = "Cluster:SiloPort",
        ["--gateway-port"] = "Cluster:GatewayPort",
        ["--primary-silo-port"] = "Cluster:PrimarySiloPort",
        ["--accelerator"] = "Cluster:Accelerator",
        ["--advertised-address"] = "Cluster:AdvertisedAddress",
        ["--model"] = "Enrichment:Models:BootstrapCheckpoint",
        ["--model-cache"] = "Enrichment:Models:CacheDirectory",
        ["--metrics-port"] = "Metrics:Port",
        ["--health-port"] = "Health:Port",
    };
}
