using Enrichment.Abstractions.Hosting;

namespace Enrichment.Silo.Hosting;

/// <summary>How this silo joins a cluster: the shared "Cluster" section plus what only a silo needs.</summary>
public sealed class SiloHostOptions : ClusterConnectionOptions
{
    public int SiloPort { get; set; } = 11111;
    public int GatewayPort { get; set; } = 30000;

    /// <summary>
    /// The address other silos and clients reach this silo at (PostgreSQL clustering): an IP, a host name resolved
    /// at start, or "auto" for this host's own name (a container's address on its network).
    /// </summary>
    public string AdvertisedAddress { get; set; } = "127.0.0.1";

    /// <summary>Listen on every interface (containers, several hosts) rather than only the advertised address.</summary>
    public bool ListenOnAnyHostAddress { get; set; }

    /// <summary>The silo runs in a Kubernetes pod (deploy/k8s sets it): see <see cref="KubernetesSiloHosting"/>.</summary>
    public bool Kubernetes { get; set; }

    /// <summary>The silo that localhost clustering uses as primary (embedded mode only).</summary>
    public int PrimarySiloPort { get; set; } = 11111;

    /// <summary>"cuda", "cpu" or empty: an empty value means this silo hosts no models.</summary>
    public string? Accelerator { get; set; }

    /// <summary>Connections this silo's grain storage and clustering may hold (see README: connection budget).</summary>
    public int PostgresPoolSize { get; set; } = Enrichment.Persistence.PostgresBudget.SiloPool;

    /// <summary>Connections this silo's enrichment queue may hold, a pool of its own.</summary>
    public int QueuePoolSize { get; set; } = Enrichment.Persistence.PostgresBudget.SiloQueuePool;

    /// <summary>Connections this silo's read model (projections, searches) may hold, a pool of its own.</summary>
    public int CatalogPoolSize { get; set; } = Enrichment.Persistence.PostgresBudget.SiloCatalogPool;

    public Enrichment.Grains.EnrichmentStorageOptions Storage => new()
    {
        Postgres = Postgres,
        MaxPoolSize = PostgresPoolSize,
        QueueMaxPoolSize = QueuePoolSize,
        CatalogMaxPoolSize = CatalogPoolSize,
    };
}
