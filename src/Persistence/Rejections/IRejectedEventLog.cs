using Enrichment.Abstractions;

namespace Enrichment.Persistence.Rejections;

/// <summary>
/// Append-only log of events refused at ingest. Each row is bounded (<see cref="RejectedEvent.Bounded"/>), pages are
/// read newest first from a sequence cursor, and the log keeps only its newest rows (a retention bound), so neither a
/// write nor a read grows with how many rejections a sender provokes. PostgreSQL on the real store, memory on the
/// embedded default; both are held to the same contract tests.
/// </summary>
public interface IRejectedEventLog
{
    Task AppendAsync(RejectedEvent rejected, CancellationToken ct = default);

    /// <summary>
    /// Up to <paramref name="take"/> rows with a sequence below <paramref name="beforeSequence"/> (null: the newest), newest
    /// first, of those <paramref name="filter"/> matches (null: all); the page's total counts the matching rows kept.
    /// A filtered read looks at no more than the rows kept (the retention bound), whatever it matches.
    /// </summary>
    Task<RejectedPage> ListAsync(long? beforeSequence, int take, RejectedFilter? filter = null, CancellationToken ct = default);
}
