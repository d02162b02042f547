using Enrichment.Grains.Ingest;
using Enrichment.Persistence;
using Enrichment.Persistence.Catalog;
using Enrichment.Persistence.Images;
using Enrichment.Persistence.Queue;
using Enrichment.Persistence.Rejections;
using Enrichment.Persistence.Reviews;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Enrichment.Grains;

/// <summary>Where a silo keeps the catalogue: PostgreSQL on the real store, memory only for the embedded default.</summary>
public sealed class EnrichmentStorageOptions
{
    /// <summary>PostgreSQL connection string; empty selects memory storage and the in-memory enrichment queue.</summary>
    public string? Postgres { get; init; }

    /// <summary>Connections the silo's Orleans providers (grain storage, clustering) may hold at once.</summary>
    public int MaxPoolSize { get; init; } = PostgresBudget.SiloPool;

    /// <summary>Connections the enrichment queue may hold at once (a pool of its own).</summary>
    public int QueueMaxPoolSize { get; init; } = PostgresBudget.SiloQueuePool;

    /// <summary>Connections the catalogue (product writes, searches, photos, rejections) may hold at once (a pool of its own).</summary>
    public int CatalogMaxPoolSize { get; init; } = PostgresBudget.SiloCatalogPool;

    public bool UsesPostgres => !string.IsNullOrWhiteSpace(Postgres);

    /// <summary>The connection string Orleans' providers get: the configured one with the pool stated.</summary>
    public string PooledPostgres => PostgresConnections.WithPoolSize(Postgres!, MaxPoolSize);
}

public static class StorageRegistration
{
    /// <summary>
    /// Grain storage and the catalogue's stores (products, read model, photos, enrichment queue, rejected events, review log),
    /// always chosen together so a real silo never queues or indexes in memory. The embedded default's stores are one
    /// <see cref="MemoryCatalogStores"/> per silo; an in-process cluster whose silos should share one catalogue
    /// registers its own instance after this call (the last registration wins). Photos go to the store that the
    /// <c>Photos</c> section of <paramref name="configuration"/> (the silo's own by default) selects.
    /// </summary>
    public static ISiloBuilder AddEnrichmentStorage(this ISiloBuilder silo, EnrichmentStorageOptions options, IConfiguration? configuration = null)
    {
        var services = silo.Services;
        var photos = (configuration ?? silo.Configuration).GetSection(PhotoStoreOptions.Section);
        if (options.UsesPostgres)
        {
            silo.AddAdoNetGrainStorage(GrainStorageNames.Catalog, o =>
            {
                o.Invariant = PostgresSchema.AdoNetInvariant;
                o.ConnectionString = options.PooledPostgres;
            });
            // PostgreSQL down must reach callers as retryable, also when it fails a grain's activation.
            Hosting.FaultTranslatingGrainStorage.Decorate(services, GrainStorageNames.Catalog);
            services.AddSingleton(_ => new CatalogDataSources(
                PostgresConnections.DataSource(options.Postgres!, options.CatalogMaxPoolSize, "catalog"),
                PostgresConnections.DataSource(options.Postgres!, options.QueueMaxPoolSize, "enrichment-queue")));
            services.AddSingleton<IProductStore>(sp => new PostgresProductStore(sp.GetRequiredService<CatalogDataSources>().Catalog,
                ExpensivePixels(sp)));
            services.AddSingleton<ICatalogReadModel>(sp => new PostgresCatalogReadModel(sp.GetRequiredService<CatalogDataSources>().Catalog));
            services.AddPhotoStore(photos, postgres: sp => sp.GetRequiredService<CatalogDataSources>().Catalog, memory: null);
            services.AddSingleton<IRejectedEventLog>(sp => new PostgresRejectedEventLog(sp.GetRequiredService<CatalogDataSources>().Catalog,
                sp.GetRequiredService<IOptions<RejectedEventsOptions>>().Value.MaxKept));
            services.AddSingleton<IEnrichmentQueue>(sp => new PostgresEnrichmentQueue(sp.GetRequiredService<CatalogDataSources>().Queue));
            services.AddSingleton<IReviewLog>(sp => new PostgresReviewLog(sp.GetRequiredService<CatalogDataSources>().Catalog));
        }
        else
        {
            silo.AddMemoryGrainStorage(GrainStorageNames.Catalog);
            services.TryAddSingleton(sp => new MemoryCatalogStores(
                sp.GetRequiredService<IOptions<RejectedEventsOptions>>().Value.MaxKept, sp.GetService<TimeProvider>(), ExpensivePixels(sp)));
            services.AddSingleton<IProductStore>(sp => sp.GetRequiredService<MemoryCatalogStores>().Products);
            services.AddSingleton<ICatalogReadModel>(sp => sp.GetRequiredService<MemoryCatalogStores>().ReadModel);
            services.AddPhotoStore(photos, postgres: null, memory: sp => sp.GetRequiredService<MemoryCatalogStores>().Images);
            services.AddSingleton<IRejectedEventLog>(sp => sp.GetRequiredService<MemoryCatalogStores>().Rejections);
            services.AddSingleton<IEnrichmentQueue>(sp => sp.GetRequiredService<MemoryCatalogStores>().Queue);
            services.AddSingleton<IReviewLog>(sp => sp.GetRequiredService<MemoryCatalogStores>().Reviews);
        }
        return silo;
    }

    private static long ExpensivePixels(IServiceProvider sp) =>
        sp.GetRequiredService<IOptions<Queue.EnrichmentQueueOptions>>().Value.ExpensiveDecodePixels;

    /// <summary>
    /// The silo's two PostgreSQL pools besides Orleans' own: the catalogue's (one per product change, plus searches)
    /// and the queue's, apart so that claims are never starved by a burst of writes. Disposed with the silo.
    /// </summary>
    private sealed record CatalogDataSources(NpgsqlDataSource Catalog, NpgsqlDataSource Queue) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Catalog.DisposeAsync();
            await Queue.DisposeAsync();
        }
    }
}
