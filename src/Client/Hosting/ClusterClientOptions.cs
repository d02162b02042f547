using Enrichment.Abstractions.Hosting;

namespace Enrichment.Client.Hosting;

/// <summary>How the client finds the cluster: the shared "Cluster" section plus what only a client needs.</summary>
public sealed class ClusterClientOptions : ClusterConnectionOptions
{

    /// <summary>Localhost gateways to try (embedded mode only); none given means the default gateway port 30000.</summary>
    /// <remarks>No initializer: the configuration binder appends to an existing array instead of replacing it.</remarks>
    public int[] GatewayPorts { get; set; } = [];

    public int[] EffectiveGatewayPorts => GatewayPorts.Length > 0 ? GatewayPorts : [30000];

    /// <summary>How long to keep retrying the first connection: silos may still be starting.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Connections the client may hold (it reads only the membership table): part of the cluster's budget.</summary>
    public int PostgresPoolSize { get; set; } = 4;
}
