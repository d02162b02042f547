using Enrichment.Abstractions;

namespace Enrichment.Persistence.Reviews;

/// <summary>
/// The embedded default's review log: the same contract as <see cref="PostgresReviewLog"/> in one process's memory,
/// keeping its newest <paramref name="keep"/> entries (a demo's memory must not grow with every review ever made).
/// </summary>
public sealed class InMemoryReviewLog(int keep = 100_000) : IReviewLog
{
    private readonly Lock _gate = new();
    private readonly List<(long Sequence, ReviewHistoryEntry Entry)> _bySequence = [];
    private readonly SortedSet<ReviewHistoryEntry> _byKey = new(KeyOrder.Instance);
    private long _sequence;

    /// <summary>Appends an entry; called by <see cref="Catalog.InMemoryProductStore"/> under its own lock, with the product change.</summary>
    internal void Append(ReviewHistoryEntry entry)
    {
        lock (_gate)
        {
            if (!_byKey.Add(entry))
            {
                throw new InvalidOperationException($"review entry {entry.Entry} of product '{entry.ProductId}' is already in the log");
            }
            _bySequence.Add((++_sequence, entry));
            if (_bySequence.Count > keep)
            {
                // Trimmed in blocks, so appending stays amortised O(1) rather than moving the list on every review.
                var drop = Math.Max(1, keep / 10);
                foreach (var (_, old) in _bySequence.Take(drop))
                {
                    _byKey.Remove(old);
                }
                _bySequence.RemoveRange(0, drop);
            }
        }
    }

    public Task<ReviewLogPage> ListAsync(long? beforeSequence, int take, string? productId = null, CancellationToken ct = default)
    {
        lock (_gate)
        {
            var newestFirst = Enumerable.Range(0, _bySequence.Count).Select(i => _bySequence[_bySequence.Count - 1 - i])
                .Where(r => (beforeSequence is null || r.Sequence < beforeSequence) && (productId is null || r.Entry.ProductId == productId));
            var (items, next) = KeysetPage.Of(newestFirst, take, _ => "more");
            return Task.FromResult(new ReviewLogPage(items.Select(r => r.Entry).ToList(), next is null ? null : items[^1].Sequence));
        }
    }

    public Task<IReadOnlyList<ReviewHistoryEntry>> ExportAsync((string ProductId, long Entry)? after, int take, CancellationToken ct = default)
    {
        lock (_gate)
        {
            if (_byKey.Count == 0 || (after is { } last && KeyOrder.Instance.Compare(Key(last.ProductId, last.Entry), _byKey.Max!) >= 0))
            {
                return Task.FromResult<IReadOnlyList<ReviewHistoryEntry>>([]);
            }
            // A view from the cursor on: found in O(log n), not by walking the entries before it.
            var rest = after is { } a ? _byKey.GetViewBetween(Key(a.ProductId, a.Entry), _byKey.Max!) : _byKey;
            IReadOnlyList<ReviewHistoryEntry> page = rest
                .Where(e => after is not { } k || KeyOrder.Instance.Compare(e, Key(k.ProductId, k.Entry)) > 0)
                .Take(take).ToList();
            return Task.FromResult(page);
        }
    }

    private static ReviewHistoryEntry Key(string productId, long entry) => new() { ProductId = productId, Entry = entry, Attribute = "", By = "" };

    /// <summary>Product id in ordinal order (as PostgreSQL's "C" collation), then entry number.</summary>
    private sealed class KeyOrder : IComparer<ReviewHistoryEntry>
    {
        public static readonly KeyOrder Instance = new();

        public int Compare(ReviewHistoryEntry? x, ReviewHistoryEntry? y)
        {
            var byId = string.CompareOrdinal(x!.ProductId, y!.ProductId);
            return byId != 0 ? byId : x.Entry.CompareTo(y.Entry);
        }
    }
}
