using Enrichment.Abstractions;
using Enrichment.Persistence.Queue;

namespace Enrichment.Persistence.Catalog;

/// <summary>
/// The embedded default's products: the same contract as <see cref="PostgresProductStore"/> in one process's memory.
/// A change updates the product, its read-model row, its queue item and the review log under one lock, so no reader of
/// this store sees one without the others.
/// </summary>
public sealed class InMemoryProductStore(InMemoryCatalogReadModel readModel, InMemoryEnrichmentQueue queue, Reviews.InMemoryReviewLog reviews,
    long expensivePixels = PhotoCostRule.DefaultExpensivePixels) : IProductStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, ProductRecord> _products = new(StringComparer.Ordinal);

    public Task<ProductRecord?> ReadAsync(string productId, CancellationToken ct = default)
    {
        lock (_gate)
        {
            return Task.FromResult(_products.GetValueOrDefault(productId));
        }
    }

    public Task<IReadOnlyDictionary<string, ProductRecord>> ReadManyAsync(IReadOnlyCollection<string> productIds, CancellationToken ct = default)
    {
        lock (_gate)
        {
            IReadOnlyDictionary<string, ProductRecord> found = productIds.Distinct()
                .Where(_products.ContainsKey)
                .ToDictionary(id => id, id => _products[id], StringComparer.Ordinal);
            return Task.FromResult(found);
        }
    }

    public Task WriteAsync(ProductWrite write, CancellationToken ct = default)
    {
        var product = write.Product;
        lock (_gate)
        {
            var stored = _products.GetValueOrDefault(product.ProductId)?.Revision ?? 0;
            if (stored != write.ExpectedRevision)
            {
                throw new ProductRevisionConflictException(product.ProductId, write.ExpectedRevision);
            }
            if (write.Reviewed is { } entry)
            {
                reviews.Append(entry);
            }
            _products[product.ProductId] = new ProductRecord(product, write.Revision);
            readModel.Project(product, write.Revision);
            if (product.NeedsEnrichment)
            {
                queue.Enqueue(product.ProductId, product.Image!.Sha256, write.RestartEnrichment, PhotoCostRule.Of(product.Images, expensivePixels));
            }
            else
            {
                queue.Remove(product.ProductId);
            }
        }
        return Task.CompletedTask;
    }
}
