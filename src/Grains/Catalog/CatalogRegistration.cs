using Enrichment.Grains.Catalog;
using Enrichment.Grains.Diagnostics;
using Enrichment.Grains.Hosting;
using Enrichment.Grains.Ingest;
using Enrichment.Grains.Placement;
using Enrichment.Grains.Queue;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orleans.Placement;
using Orleans.Runtime.MembershipService.SiloMetadata;

namespace Enrichment.Grains;

public static class CatalogRegistration
{
    /// <summary>
    /// What every silo runs: product grains, search, photos, the rejection log, the queue's monitor, and the placement
    /// of model grains (a product grain places the model grain it calls, wherever it lives). Clustering and storage are
    /// the host's choice (<see cref="StorageRegistration.AddEnrichmentStorage"/>): one must be made. Model serving and
    /// training are further calls (<c>AddModelServing</c>, <c>AddModelTraining</c>) on silos built with them.
    /// </summary>
    public static ISiloBuilder AddCatalogGrains(this ISiloBuilder silo, IConfiguration configuration)
    {
        silo.Services.AddOptions<RejectedEventsOptions>().Bind(configuration.GetSection(RejectedEventsOptions.Section))
            .ValidateDataAnnotations().ValidateOnStart();
        silo.Services.AddOptions<EnrichmentQueueOptions>()
            .Bind(configuration.GetSection(EnrichmentQueueOptions.Section))
            .ValidateDataAnnotations()
            .Validate(o => o.Lease > TimeSpan.Zero && o.IdlePollMax > TimeSpan.Zero && o.RetryInitialDelay > TimeSpan.Zero
                           && o.RetryMaxDelay >= o.RetryInitialDelay && o.StatsInterval > TimeSpan.Zero,
                $"{EnrichmentQueueOptions.Section}: Lease, IdlePollMax, RetryInitialDelay and StatsInterval must be positive, RetryMaxDelay >= RetryInitialDelay")
            .ValidateOnStart();
        silo.Services.AddOptions<ReEnrichment.ReEnrichmentOptions>().Bind(configuration.GetSection(ReEnrichment.ReEnrichmentOptions.Section))
            .ValidateDataAnnotations()
            .Validate(o => o.QueueWait > TimeSpan.Zero && o.RetryDelay > TimeSpan.Zero,
                $"{ReEnrichment.ReEnrichmentOptions.Section}: QueueWait and RetryDelay must be positive")
            .ValidateOnStart();
        silo.Services.AddOptions<EvaluationSetOptions>().Bind(configuration.GetSection(EvaluationSetOptions.Section))
            .ValidateDataAnnotations().ValidateOnStart();
        silo.Services.TryAddSingleton(TimeProvider.System);
        silo.Services.AddMetrics();
        silo.Services.TryAddSingleton<EnrichmentMetrics>();
        silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, EnrichmentQueueMonitor>();
        silo.AddIncomingGrainCallFilter<StorageFaultFilter>();
        if (!silo.Services.Any(d => d.ServiceType == typeof(ISiloMetadataCache)))
        {
            // Model placement reads silo metadata; a silo that declares nothing still has to publish that it has nothing.
            silo.UseSiloMetadata();
        }
        silo.Services.AddPlacementFilter<AcceleratorPlacementFilterStrategy, AcceleratorPlacementFilterDirector>(ServiceLifetime.Singleton);
        silo.Services.AddPlacementDirector<SiloKeyedPlacement, SiloKeyedPlacementDirector>();
        return silo;
    }
}
