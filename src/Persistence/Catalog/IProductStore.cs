using Enrichment.Abstractions;

namespace Enrichment.Persistence.Catalog;

/// <summary>
/// Where product grains keep their products. A write is one transaction: the product, its read-model row (what
/// search sees) and its enrichment-queue item (present exactly while it waits for a model), guarded by
/// the product's revision so a stale writer (Orleans can briefly run two activations of a grain) fails and changes
/// nothing. PostgreSQL on the real store (one round trip), memory on the embedded default; both are held to the same
/// contract tests.
/// </summary>
public interface IProductStore
{
    /// <summary>The product and its revision; null when nothing was ever stored for <paramref name="productId"/>.</summary>
    Task<ProductRecord?> ReadAsync(string productId, CancellationToken ct = default);

    /// <summary>The products of a claimed batch in one read; ids with nothing stored are missing from the answer.</summary>
    Task<IReadOnlyDictionary<string, ProductRecord>> ReadManyAsync(IReadOnlyCollection<string> productIds, CancellationToken ct = default);

    /// <summary>Stores <see cref="ProductWrite.Product"/> at revision <see cref="ProductWrite.Revision"/>.</summary>
    /// <exception cref="ProductRevisionConflictException">The stored revision is not <see cref="ProductWrite.ExpectedRevision"/>; nothing changed.</exception>
    Task WriteAsync(ProductWrite write, CancellationToken ct = default);
}

/// <summary>A stored product and the count of its stored changes (0: nothing stored).</summary>
public sealed record ProductRecord(Product Product, long Revision);

/// <summary>
/// One change of a product. Its queue item follows from the product (<see cref="Product.NeedsEnrichment"/>): kept
/// when it already waits for the same photo, created or pointed at the new photo otherwise, removed when the product
/// no longer waits; <paramref name="RestartEnrichment"/> starts the item afresh (due now, attempts reset) even when
/// it waits for the same photo. <paramref name="Reviewed"/>, when the change is a review decision, is appended to the
/// review log in the same transaction.
/// </summary>
public sealed record ProductWrite(Product Product, long ExpectedRevision, bool RestartEnrichment = false, ReviewHistoryEntry? Reviewed = null)
{
    public long Revision => ExpectedRevision + 1;
}

/// <summary>The product's stored revision was not the one its writer read: another activation wrote in between.</summary>
public sealed class ProductRevisionConflictException(string productId, long expectedRevision)
    : Exception($"product '{productId}' is no longer at revision {expectedRevision}: another activation changed it; nothing was written")
{
    public string ProductId { get; } = productId;
}
