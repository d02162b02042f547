using Enrichment.Abstractions;

namespace Enrichment.Persistence.Catalog;

/// <summary>
/// The query side of the catalogue: one row per product, written only with the product itself
/// (<see cref="IProductStore"/>, the same transaction), so search never sees a product its grain has not stored or
/// misses one it has. PostgreSQL on the real store, memory on the embedded default; both are held to the same
/// contract tests.
/// </summary>
public interface ICatalogReadModel
{
    /// <summary>One page of the query's matches in its <see cref="SearchOrder"/> (the query is valid: <see cref="CatalogQueryRules"/>).</summary>
    Task<CatalogPage> SearchAsync(CatalogQuery query, CancellationToken ct = default);

    /// <summary>
    /// The catalogue's own spelling of <paramref name="value"/> for <paramref name="attribute"/> when some product's
    /// catalogue value is that value (compared as search compares: case, spaces and Unicode form aside); null when none is.
    /// </summary>
    Task<string?> KnownValueAsync(string attribute, string value, CancellationToken ct = default);

    /// <summary>One page of a review queue (the query is valid: <see cref="ReviewRules"/>), in <see cref="ReviewOrder"/>.</summary>
    Task<ReviewPage> ReviewAsync(ReviewQuery query, CancellationToken ct = default);

    /// <summary>
    /// Up to <paramref name="limit"/> products carrying a reviewed label, after <paramref name="afterProductId"/>, in id
    /// order, each saying whether training can learn from it (labelled: photo, catalogue type and colour).
    /// </summary>
    Task<IReadOnlyList<ReviewedProduct>> ListReviewedAsync(string? afterProductId, int limit, CancellationToken ct = default);

    /// <summary>Up to <paramref name="limit"/> labelled products (photo, catalogue type and colour) after <paramref name="afterProductId"/>, in id order.</summary>
    Task<IReadOnlyList<ProductView>> ListLabelledAsync(string? afterProductId, int limit, CancellationToken ct = default);

    /// <summary>
    /// How many products carry the predictions of each model version (the version of their current enrichment;
    /// a product waiting for re-enrichment still carries the old one). Versions no product carries are absent.
    /// </summary>
    Task<IReadOnlyDictionary<string, long>> CountByModelVersionAsync(CancellationToken ct = default);

    /// <summary>Up to <paramref name="limit"/> ids of products carrying <paramref name="modelVersion"/>'s predictions, after <paramref name="afterProductId"/>, in id order.</summary>
    Task<IReadOnlyList<string>> ListByModelVersionAsync(string modelVersion, string? afterProductId, int limit, CancellationToken ct = default);
}
