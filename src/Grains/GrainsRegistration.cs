using Enrichment.Grains.Catalog;
using Enrichment.Grains.Diagnostics;
using Enrichment.Grains.Queue;
using Enrichment.Grains.Hosting;
using Enrichment.Grains.Ingest;
using Enrichment.Grains.Serving;
using Enrichment.Grains.Training;
using Enrichment.Persistence;
using Enrichment.Persistence.Catalog;
using Enrichment.Persistence.Queue;
using Enrichment.Persistence.Rejections;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orleans.Placement;
using Orleans.Runtime.MembershipService.SiloMetadata;

namespace Enrichment.Grains;

public static class GrainsRegistration
{
    /// <summary>
    /// Services the catalogue and model grains depend on. Clustering and storage are the host's choice
    /// (<see cref="StorageRegistration.AddEnrichmentStorage"/>): one must be made.
    /// </summary>
    public static ISiloBuilder AddEnrichmentGrains(this ISiloBuilder silo, IConfiguration configuration)
    {
        silo.Services.AddOptions<RejectedEventsOptions>().Bind(configuration.GetSection(RejectedEventsOptions.Section))
            .ValidateDataAnnotations().ValidateOnStart();
        silo.Services.Configure<ModelHostOptions>(configuration.GetSection(ModelHostOptions.Section));
        silo.Services.Configure<DeploymentOptions>(configuration.GetSection(DeploymentOptions.Section));
        silo.Services.AddOptions<EnrichmentQueueOptions>()
            .Bind(configuration.GetSection(EnrichmentQueueOptions.Section))
            .ValidateDataAnnotations()
            .Validate(o => o.Lease > TimeSpan.Zero && o.IdlePollMax > TimeSpan.Zero && o.RetryInitialDelay > TimeSpan.Zero
                           && o.RetryMaxDelay >= o.RetryInitialDelay && o.StatsInterval > TimeSpan.Zero,
                $"{EnrichmentQueueOptions.Section}: Lease, IdlePollMax, RetryInitialDelay and StatsInterval must be positive, RetryMaxDelay >= RetryInitialDelay")
            .ValidateOnStart();
        silo.Services.AddOptions<EvaluationSetOptions>().Bind(configuration.GetSection(EvaluationSetOptions.Section))
            .ValidateDataAnnotations().ValidateOnStart();
        silo.Services.AddOptions<TrainingOptions>()
            .Bind(configuration.GetSection(TrainingOptions.Section))
            .ValidateDataAnnotations()
            .Validate(o => o.IsValid, $"{TrainingOptions.Section}: LostAfter must be more than three ReportIntervals")
            .ValidateOnStart();
        silo.Services.TryAddSingleton(TimeProvider.System);
        silo.Services.AddMetrics();
        silo.Services.AddSingleton<EnrichmentMetrics>();
        silo.Services.AddSingleton<ModelHost>();
        silo.Services.AddSingleton<ClaimedPhotos>();
        silo.Services.AddSingleton<TrainingRunner>();
        silo.AddGrainService<ModelSwapService>();
        silo.Services.AddSingleton<IModelSwapClient, ModelSwapClient>();
        silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, EnrichmentPump>();
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
