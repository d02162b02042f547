using Enrichment.Abstractions;

namespace Enrichment.Persistence.Reviews;

/// <summary>
/// Every review decision of every product, append-only. Product stores append to it in the same transaction as the
/// product change the decision made (<see cref="Catalog.ProductWrite.Reviewed"/>), so the log and the products never
/// disagree. PostgreSQL on the real store (a table, kept whole: reviews are made by people), memory on the embedded
/// default (its newest rows); both are held to the same contract tests.
/// </summary>
public interface IReviewLog
{
    /// <summary>
    /// Up to <paramref name="take"/> entries with a log sequence below <paramref name="beforeSequence"/> (null: the
    /// newest), newest first, of one product (or all when <paramref name="productId"/> is null).
    /// </summary>
    Task<ReviewLogPage> ListAsync(long? beforeSequence, int take, string? productId = null, CancellationToken ct = default);

    /// <summary>
    /// Up to <paramref name="take"/> entries after <paramref name="after"/> in (product id, entry) order: the export's
    /// pages. Entries are never changed or removed and a product's new entries take higher numbers, so paging by this
    /// key lists every entry stored before the first page exactly once, whatever is reviewed meanwhile.
    /// </summary>
    Task<IReadOnlyList<ReviewHistoryEntry>> ExportAsync((string ProductId, long Entry)? after, int take, CancellationToken ct = default);
}

/// <summary>A page of the log, newest first; <paramref name="NextBefore"/> continues with older entries (null: none).</summary>
public sealed record ReviewLogPage(IReadOnlyList<ReviewHistoryEntry> Items, long? NextBefore);
