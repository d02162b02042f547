using Enrichment.Abstractions;
using Enrichment.Persistence.Catalog;
using Enrichment.Persistence.Images;
using Enrichment.Persistence.Queue;
using Enrichment.Persistence.Reviews;
using Npgsql;

namespace Enrichment.Persistence.Tests;

/// <summary>The catalogue's stores over one database (or one memory), made together as a silo makes them.</summary>
public sealed record StoreSet(IProductStore Products, ICatalogReadModel ReadModel, IEnrichmentQueue Queue, IImageStore Images, IReviewLog Reviews)
{
    public static StoreSet InMemory()
    {
        var memory = new MemoryCatalogStores();
        return new(memory.Products, memory.ReadModel, memory.Queue, memory.Images, memory.Reviews);
    }

    public static StoreSet Postgres(NpgsqlDataSource source) =>
        new(new PostgresProductStore(source), new PostgresCatalogReadModel(source), new PostgresEnrichmentQueue(source), new PostgresImageStore(source),
            new PostgresReviewLog(source));

    /// <summary>Stores <paramref name="product"/> as its next revision, read first, as a product grain does.</summary>
    public async Task StoreAsync(Product product, bool restartEnrichment = false)
    {
        var current = await Products.ReadAsync(product.ProductId);
        await Products.WriteAsync(new ProductWrite(product, current?.Revision ?? 0, restartEnrichment));
    }

    public Task StoreAsync(ProductView view) => StoreAsync(TestProducts.From(view));
}

public static class TestProducts
{
    /// <summary>The product behind a wire view (tests describe products the way callers see them).</summary>
    public static Product From(ProductView view) => new()
    {
        ProductId = view.ProductId,
        Version = view.Version,
        LastEventId = view.LastEventId,
        Name = view.Name,
        Image = view.Image,
        KnownAttributes = view.KnownAttributes,
        Enrichment = view.Enrichment,
        UpdatedAt = view.UpdatedAt,
        EnrichmentStatus = view.EnrichmentStatus,
        EnrichmentNote = view.EnrichmentNote,
        Reviews = view.Reviews,
        RecentEvents = view.RecentEvents,
    };

    /// <summary>A product waiting for a model to read the photo <paramref name="sha256"/>.</summary>
    public static Product Pending(string productId, string sha256, long version = 1, long decodePixels = 0) => new()
    {
        ProductId = productId,
        Version = version,
        LastEventId = $"e-{productId}-{version}",
        Name = "Plain product",
        Image = new ImageRef(sha256, 10, "image/jpeg", decodePixels),
        EnrichmentStatus = EnrichmentStatus.Pending,
    };
}
