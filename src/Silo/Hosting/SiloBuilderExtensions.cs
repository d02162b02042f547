using Enrichment.Grains.Placement;
using System.Net;
using Enrichment.Grains;
using Microsoft.Extensions.DependencyInjection;
using Enrichment.Persistence;
using Microsoft.Extensions.Configuration;
using Orleans.Configuration;
using Orleans.Dashboard;
using Orleans.Runtime.MembershipService.SiloMetadata;

namespace Enrichment.Silo.Hosting;

public static class SiloBuilderExtensions
{
    /// <summary>Clustering, storage and metadata for a production or demo silo, chosen by <see cref="SiloHostOptions"/>.</summary>
    public static ISiloBuilder ConfigureEnrichmentSilo(this ISiloBuilder silo, SiloHostOptions options, IConfiguration configuration) =>
        silo.UseEnrichmentClustering(options)
            .UseKubernetesHostingWhenConfigured(options)
            .AddEnrichmentStorage(options)
            .AddSiloMetadata(options)
            .AddRoleGrains(options, configuration)
            .AddClusterDashboard(options);

    /// <summary>
    /// The Orleans Dashboard's silo side (its grains and per-call statistics), read by the client's /dashboard.
    /// Trace streaming stays off: it would send every log line of the silo to whoever watches.
    /// </summary>
    public static ISiloBuilder AddClusterDashboard(this ISiloBuilder silo, SiloHostOptions options) =>
        options.Dashboard ? silo.AddDashboard(o => o.HideTrace = true) : silo;

    public static ISiloBuilder UseEnrichmentClustering(this ISiloBuilder silo, SiloHostOptions options)
    {
        silo.Configure<ClusterOptions>(o =>
        {
            o.ClusterId = options.ClusterId;
            o.ServiceId = options.ServiceId;
        });
        if (options.UsesPostgres)
        {
            silo.ConfigureEndpoints(AdvertisedAddressResolver.Resolve(options.AdvertisedAddress), options.SiloPort, options.GatewayPort, options.ListenOnAnyHostAddress);
            silo.UseAdoNetClustering(o =>
            {
                o.Invariant = PostgresSchema.AdoNetInvariant;
                o.ConnectionString = options.Storage.PooledPostgres;
            });
        }
        else
        {
            silo.UseLocalhostClustering(options.SiloPort, options.GatewayPort,
                new IPEndPoint(IPAddress.Loopback, options.PrimarySiloPort), options.ServiceId, options.ClusterId);
        }
        return silo;
    }

    /// <summary>PostgreSQL grain storage and enrichment queue for a real cluster; memory only for the embedded demo.</summary>
    public static ISiloBuilder AddEnrichmentStorage(this ISiloBuilder silo, SiloHostOptions options) =>
        StorageRegistration.AddEnrichmentStorage(silo, options.Storage);

    /// <summary>
    /// Declares the silo's accelerator in silo metadata, where model placement looks for it, and, on a products-only
    /// build, that it serves no models (deployments leave it out).
    /// </summary>
    public static ISiloBuilder AddSiloMetadata(this ISiloBuilder silo, SiloHostOptions options)
    {
        var metadata = new Dictionary<string, string>();
        if (!string.IsNullOrWhiteSpace(options.Accelerator))
        {
            metadata[AcceleratorPlacementFilterDirector.MetadataKey] = options.Accelerator.Trim().ToLowerInvariant();
        }
        if (!SiloRole.ServesModels)
        {
            metadata[ModelServingMetadata.Key] = ModelServingMetadata.None;
        }
        return silo.UseSiloMetadata(metadata);
    }
}
