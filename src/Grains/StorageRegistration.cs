using Enrichment.Persistence;

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

    /// <summary>Connections the read model (projections and searches) may hold at once (a pool of its own).</summary>
    public int CatalogMaxPoolSize { get; init; } = PostgresBudget.SiloCatalogPool;

    public bool UsesPostgres => !string.IsNullOrWhiteSpace(Postgres);

    /// <summary>The connection string Orleans' providers get: the configured one with the pool stated.</summary>
    public string PooledPostgres => PostgresConnections.WithPoolSize(Postgres!, MaxPoolSize);
}

public static class StorageRegistration
{
    /// <summary>
    /// Grain storage, the enrichment queue and the read model, always chosen together so a real silo never queues or
    /// indexes in memory.
    /// </summary>
    public static ISiloBuilder AddEnrichmentStorage(this ISiloBuilder silo, EnrichmentStorageOptions options)
    {
        if (options.UsesPostgres)
        {
            silo.AddAdoNetGrainStorage(GrainStorageNames.Catalog, o =>
            {
                o.Invariant = PostgresSchema.AdoNetInvariant;
                o.ConnectionString = options.PooledPostgres;
            });
            // PostgreSQL down must reach callers as retryable, also when it fails a grain's activation.
            Hosting.FaultTranslatingGrainStorage.Decorate(silo.Services, GrainStorageNames.Catalog);
            silo.UsePostgresEnrichmentQueue(options.Postgres!, options.QueueMaxPoolSize);
            silo.UsePostgresCatalogReadModel(options.Postgres!, options.CatalogMaxPoolSize);
        }
        else
        {
            silo.AddMemoryGrainStorage(GrainStorageNames.Catalog);
            silo.UseMemoryEnrichmentQueue();
            silo.UseMemoryCatalogReadModel();
        }
        return silo;
    }
}
