using Enrichment.Grains.Diagnostics;
using Enrichment.Grains.Ingest;
using Enrichment.Grains.Products;
using Enrichment.Grains.Serving;
using Enrichment.Grains.Training;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Placement;
using Orleans.Runtime.MembershipService.SiloMetadata;

namespace Enrichment.Grains;

public static class GrainsRegistration
{
    /// <summary>Services the catalogue and model grains depend on; storage and clustering are the host's choice.</summary>
    public static ISiloBuilder AddEnrichmentGrains(this ISiloBuilder silo, IConfiguration configuration)
    {
        silo.Services.Configure<RejectedEventsOptions>(configuration.GetSection("Enrichment:RejectedEvents"));
        silo.Services.Configure<EnrichmentRetryOptions>(configuration.GetSection(EnrichmentRetryOptions.Section));
        silo.Services.Configure<ModelHostOptions>(configuration.GetSection(ModelHostOptions.Section));
        silo.Services.AddMetrics();
        silo.Services.AddSingleton<EnrichmentMetrics>();
        silo.Services.AddSingleton<ModelHost>();
        silo.Services.AddSingleton<TrainingRunner>();
        silo.AddGrainService<ModelSwapService>();
        silo.Services.AddSingleton<IModelSwapClient, ModelSwapClient>();
        if (!silo.Services.Any(d => d.ServiceType == typeof(ISiloMetadataCache)))
        {
            // Model placement reads silo metadata; a silo that declares nothing still has to publish that it has nothing.
            silo.UseSiloMetadata();
        }
        silo.Services.AddPlacementFilter<AcceleratorPlacementFilterStrategy, AcceleratorPlacementFilterDirector>(ServiceLifetime.Singleton);
        return silo;
    }
}
