namespace Enrichment.Silo.Hosting;

/// <summary>Short switches for the options operators type most; anything else goes as --Section:Key=value.</summary>
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
    };
}
