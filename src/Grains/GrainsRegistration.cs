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
    /// Services the catalogue and model grains depend on. Storage, clustering and the enrichment queue are the host's
    /// choice (<see cref="UseMemoryEnrichmentQueue"/> or <see cref="UsePostgresEnrichmentQueue"/>): one must be made.
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
        silo.Services.AddOptions<ReadModelOptions>()
            .Bind(configuration.GetSection(ReadModelOptions.Section))
            .ValidateDataAnnotations()
            .Validate(o => o.IsValid, $"{ReadModelOptions.Section}: RepairGrace, RepairInterval and RepairLease must be positive")
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
        silo.Services.AddSingleton<TrainingRunner>();
        silo.AddGrainService<ModelSwapService>();
        silo.Services.AddSingleton<IModelSwapClient, ModelSwapClient>();
        silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, EnrichmentPump>();
        silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, EnrichmentQueueMonitor>();
        silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, ReadModelRepairer>();
        silo.AddIncomingGrainCallFilter<StorageFaultFilter>();
        if (!silo.Services.Any(d => d.ServiceType == typeof(ISiloMetadataCache)))
        {
            // Model placement reads silo metadata; a silo that declares nothing still has to publish that it has nothing.
            silo.UseSiloMetadata();
        }
        silo.Services.AddPlacementFilter<AcceleratorPlacementFilterStrategy, AcceleratorPlacementFilterDirector>(ServiceLifetime.Singleton);
        return silo;
    }

    /// <summary>The embedded default: the queue lives in one activation's memory, like memory grain storage.</summary>
    public static ISiloBuilder UseMemoryEnrichmentQueue(this ISiloBuilder silo)
    {
        silo.Services.AddSingleton<IEnrichmentQueue, GrainEnrichmentQueue>();
        return silo;
    }

    /// <summary>The real store: the queue is a PostgreSQL table, with a connection pool of its own of <paramref name="maxConnections"/>.</summary>
    public static ISiloBuilder UsePostgresEnrichmentQueue(this ISiloBuilder silo, string connectionString, int maxConnections)
    {
        silo.Services.AddSingleton(_ => new OwnedDataSource<IEnrichmentQueue>(
            PostgresConnections.DataSource(connectionString, maxConnections, "enrichment-queue")));
        silo.Services.AddSingleton<IEnrichmentQueue>(sp => new PostgresEnrichmentQueue(sp.GetRequiredService<OwnedDataSource<IEnrichmentQueue>>().DataSource));
        return silo;
    }

    /// <summary>
    /// The embedded default: the read model and the rejection log live in one activation's memory each, like memory
    /// grain storage.
    /// </summary>
    public static ISiloBuilder UseMemoryCatalogReadModel(this ISiloBuilder silo)
    {
        silo.Services.AddSingleton<ICatalogReadModel, GrainCatalogReadModel>();
        silo.Services.AddSingleton<IRejectedEventLog, GrainRejectedEventLog>();
        return silo;
    }

    /// <summary>
    /// The real store: the read model and the rejection log are PostgreSQL tables, sharing a connection pool of their
    /// own of <paramref name="maxConnections"/> (rejections are rare next to projections).
    /// </summary>
    public static ISiloBuilder UsePostgresCatalogReadModel(this ISiloBuilder silo, string connectionString, int maxConnections)
    {
        silo.Services.AddSingleton(_ => new OwnedDataSource<ICatalogReadModel>(
            PostgresConnections.DataSource(connectionString, maxConnections, "catalog-read-model")));
        silo.Services.AddSingleton<ICatalogReadModel>(sp => new PostgresCatalogReadModel(sp.GetRequiredService<OwnedDataSource<ICatalogReadModel>>().DataSource));
        silo.Services.AddSingleton<IRejectedEventLog>(sp => new PostgresRejectedEventLog(sp.GetRequiredService<OwnedDataSource<ICatalogReadModel>>().DataSource,
            sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<RejectedEventsOptions>>().Value.MaxKept));
        return silo;
    }

    /// <summary>Owns the data source of <typeparamref name="TUser"/> so the container disposes its pool with the silo.</summary>
    private sealed record OwnedDataSource<TUser>(Npgsql.NpgsqlDataSource DataSource) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => DataSource.DisposeAsync();
    }
}
