using Enrichment.Persistence.Catalog;
using Enrichment.Persistence.Images;
using Enrichment.Persistence.Queue;
using Enrichment.Persistence.Rejections;
using Enrichment.Persistence.Reviews;

namespace Enrichment.Persistence;

/// <summary>
/// The embedded default's stores, made together because a product change writes four of them at once. One
/// instance is one catalogue: a silo makes its own; the silos of an in-process test cluster are given the same one,
/// as they would share one PostgreSQL database.
/// </summary>
public sealed class MemoryCatalogStores
{
    public MemoryCatalogStores(int rejectedKept = 2_000, TimeProvider? time = null, long expensivePixels = PhotoCostRule.DefaultExpensivePixels)
    {
        ReadModel = new InMemoryCatalogReadModel();
        Queue = new InMemoryEnrichmentQueue(time ?? TimeProvider.System);
        Images = new InMemoryImageStore();
        Reviews = new InMemoryReviewLog();
        Products = new InMemoryProductStore(ReadModel, Queue, Reviews, expensivePixels);
        Rejections = new InMemoryRejectedEventLog(rejectedKept);
    }

    public InMemoryProductStore Products { get; }
    public InMemoryCatalogReadModel ReadModel { get; }
    public InMemoryEnrichmentQueue Queue { get; }
    public InMemoryImageStore Images { get; }
    public InMemoryRejectedEventLog Rejections { get; }
    public InMemoryReviewLog Reviews { get; }
}
