using System.Net;
using Enrichment.Grains;
using Enrichment.Persistence;
using Microsoft.Extensions.Configuration;
using Orleans.Configuration;
using Orleans.Runtime.MembershipService.SiloMetadata;

namespace Enrichment.Silo.Hosting;

public static class SiloBuilderExtensions
{
    public const string AdoNetInvariant = "Npgsql";
    public const string AcceleratorMetadataKey = "accelerator";

    /// <summary>Clustering, storage and metadata for a production or demo silo, chosen by <see cref="SiloHostOptions"/>.</summary>
    public static ISiloBuilder ConfigureEnrichmentSilo(this ISiloBuilder silo, SiloHostOptions options, IConfiguration configuration)
    {
        silo.Configure<ClusterOptions>(o =>
        {
            o.ClusterId = options.ClusterId;
            o.ServiceId = options.ServiceId;
        });

        if (options.UsesPostgres)
        {
            silo.ConfigureEndpoints(IPAddress.Loopback, options.SiloPort, options.GatewayPort, listenOnAnyHostAddress: false);
            silo.UseAdoNetClustering(o =>
            {
                o.Invariant = AdoNetInvariant;
                o.ConnectionString = options.Postgres;
            });
            silo.AddAdoNetGrainStorage(GrainStorageNames.Catalog, o =>
            {
                o.Invariant = AdoNetInvariant;
                o.ConnectionString = options.Postgres;
            });
        }
        else
        {
            silo.UseLocalhostClustering(options.SiloPort, options.GatewayPort,
                new IPEndPoint(IPAddress.Loopback, options.PrimarySiloPort), options.ServiceId, options.ClusterId);
            silo.AddMemoryGrainStorage(GrainStorageNames.Catalog);
        }

        var metadata = new Dictionary<string, string>();
        if (!string.IsNullOrWhiteSpace(options.Accelerator))
        {
            metadata[AcceleratorMetadataKey] = options.Accelerator.Trim().ToLowerInvariant();
        }
        silo.UseSiloMetadata(metadata);
        silo.AddEnrichmentGrains(configuration);
        return silo;
    }
}
