using Enrichment.Abstractions;

namespace Enrichment.Persistence.Catalog;

/// <summary>
/// The query side of the catalogue. Product grains stay the only writers of products; each one projects what it
/// stored here, guarded by a per-product revision so a late or replayed projection never moves a row backwards.
/// A product notes the change before writing its state and the projection clears the note: a silo that dies between
/// the two leaves a note, which <see cref="ClaimUnprojectedAsync"/> hands to a repairer. PostgreSQL on the real
/// store, memory on the embedded default; both are held to the same contract tests.
/// </summary>
public interface ICatalogReadModel
{
    /// <summary>Records that <paramref name="productId"/> is about to change, before its state is written.</summary>
    Task NoteChangeAsync(string productId, CancellationToken ct = default);

    /// <summary>
    /// Stores the projection of what the product holds at <paramref name="revision"/> (unless a later revision is
    /// there already) and clears the product's change note. A null <paramref name="product"/> (nothing stored) only
    /// clears the note.
    /// </summary>
    Task ProjectAsync(string productId, ProductView? product, long revision, CancellationToken ct = default);

    /// <summary>Products whose change was noted more than <paramref name="olderThan"/> ago and never projected; each is
    /// held back for <paramref name="lease"/> so that concurrent repairers do not take the same ones.</summary>
    Task<IReadOnlyList<string>> ClaimUnprojectedAsync(TimeSpan olderThan, int max, TimeSpan lease, CancellationToken ct = default);

    /// <summary>One page of the query's matches in product-id order (the query is valid: <see cref="CatalogQueryRules"/>).</summary>
    Task<CatalogPage> SearchAsync(CatalogQuery query, CancellationToken ct = default);

    /// <summary>One page of a review queue (the query is valid: <see cref="ReviewRules"/>), in <see cref="ReviewOrder"/>.</summary>
    Task<ReviewPage> ReviewAsync(ReviewQuery query, CancellationToken ct = default);

    /// <summary>Up to <paramref name="limit"/> ids of products carrying a reviewed label, after <paramref name="afterProductId"/>, in id order.</summary>
    Task<IReadOnlyList<string>> ListReviewedAsync(string? afterProductId, int limit, CancellationToken ct = default);

    /// <summary>Up to <paramref name="limit"/> labelled products (photo, catalogue type and colour) after <paramref name="afterProductId"/>, in id order.</summary>
    Task<IReadOnlyList<ProductView>> ListLabelledAsync(string? afterProductId, int limit, CancellationToken ct = default);
}
