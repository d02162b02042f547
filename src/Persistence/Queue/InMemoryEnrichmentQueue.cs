using Enrichment.Abstractions;

namespace Enrichment.Persistence.Queue;

/// <summary>
/// The embedded default's queue: the same contract as <see cref="PostgresEnrichmentQueue"/>, held in one process's
/// memory (one item per product, due items of each cost class ordered by due time and sequence). Thread-safe.
/// </summary>
public sealed class InMemoryEnrichmentQueue(TimeProvider time) : IEnrichmentQueue
{
    private readonly object _gate = new();
    private readonly Dictionary<string, Entry> _items = new(StringComparer.Ordinal);
    // One ordered set per cost class, as the table's index leads with the class: a claim never walks the other class.
    private readonly SortedSet<Entry>[] _byDue = [new(EntryOrder.Instance), new(EntryOrder.Instance)];
    private long _sequence;

    public InMemoryEnrichmentQueue() : this(TimeProvider.System)
    {
    }

    /// <summary>The queue item of a product change (<see cref="Catalog.InMemoryProductStore"/>), as <c>QueueSql.Enqueue</c> writes it.</summary>
    internal void Enqueue(string productId, string imageSha256, bool restart, PhotoCost cost = PhotoCost.Ordinary)
    {
        lock (_gate)
        {
            var now = time.GetUtcNow();
            if (_items.TryGetValue(productId, out var existing))
            {
                if (!restart && existing.ImageSha256 == imageSha256)
                {
                    return;
                }
                ByDue(existing).Remove(existing);
            }
            var entry = new Entry(productId, imageSha256, ++_sequence, now, cost) { DueAt = now };
            _items[productId] = entry;
            ByDue(entry).Add(entry);
        }
    }

    /// <summary>Drops the product's item, whatever its claim: the product no longer waits for a model.</summary>
    internal void Remove(string productId)
    {
        lock (_gate)
        {
            if (_items.Remove(productId, out var entry))
            {
                ByDue(entry).Remove(entry);
            }
        }
    }

    public Task<IReadOnlyList<EnrichmentWorkItem>> ClaimAsync(int max, string owner, TimeSpan lease,
        PhotoCost cost = PhotoCost.Ordinary, CancellationToken ct = default)
    {
        var claimed = new List<EnrichmentWorkItem>(Math.Max(0, max));
        lock (_gate)
        {
            var now = time.GetUtcNow();
            var byDue = _byDue[(int)cost];
            var due = byDue.TakeWhile(e => e.DueAt <= now).Take(max).ToList();
            foreach (var entry in due)
            {
                byDue.Remove(entry);
                entry.Attempts++;
                entry.DueAt = now + lease;
                byDue.Add(entry);
                claimed.Add(entry.ToWorkItem());
            }
        }
        return Task.FromResult<IReadOnlyList<EnrichmentWorkItem>>(claimed);
    }

    public Task CompleteAsync(IReadOnlyList<EnrichmentWorkItem> items, CancellationToken ct = default)
    {
        lock (_gate)
        {
            foreach (var item in items)
            {
                if (Current(item) is { } entry)
                {
                    _items.Remove(entry.ProductId);
                    ByDue(entry).Remove(entry);
                }
            }
        }
        return Task.CompletedTask;
    }

    public Task RetryAsync(IReadOnlyList<EnrichmentRetry> retries, CancellationToken ct = default)
    {
        lock (_gate)
        {
            var now = time.GetUtcNow();
            foreach (var retry in retries)
            {
                if (Current(retry.Item) is { } entry)
                {
                    ByDue(entry).Remove(entry);
                    entry.DueAt = retry.Delay is { } delay ? now + delay : DateTimeOffset.MaxValue;
                    entry.LastError = retry.BoundedError;
                    ByDue(entry).Add(entry);
                }
            }
        }
        return Task.CompletedTask;
    }

    public Task<EnrichmentQueueStats> GetStatsAsync(CancellationToken ct = default)
    {
        lock (_gate)
        {
            var parked = _byDue.Sum(byDue => byDue.Reverse().TakeWhile(e => e.DueAt == DateTimeOffset.MaxValue).Count());
            // Min over nullable values is null for none: one pass, no separate emptiness check.
            var oldest = _items.Values.Where(e => e.DueAt != DateTimeOffset.MaxValue).Min(e => (DateTimeOffset?)e.EnqueuedAt);
            return Task.FromResult(new EnrichmentQueueStats(_items.Count - parked, parked, oldest, time.GetUtcNow()));
        }
    }

    private SortedSet<Entry> ByDue(Entry entry) => _byDue[(int)entry.Cost];

    private Entry? Current(EnrichmentWorkItem item) =>
        _items.TryGetValue(item.ProductId, out var entry) && entry.Sequence == item.Sequence && entry.Attempts == item.Attempt ? entry : null;

    private sealed class Entry(string productId, string imageSha256, long sequence, DateTimeOffset enqueuedAt, PhotoCost cost)
    {
        public PhotoCost Cost { get; } = cost;
        public string ProductId { get; } = productId;
        public string ImageSha256 { get; } = imageSha256;
        public long Sequence { get; } = sequence;
        public DateTimeOffset EnqueuedAt { get; } = enqueuedAt;
        public DateTimeOffset DueAt { get; set; }
        public int Attempts { get; set; }
        public string? LastError { get; set; }

        public EnrichmentWorkItem ToWorkItem() => new(ProductId, ImageSha256, Sequence, Attempts, EnqueuedAt);
    }

    private sealed class EntryOrder : IComparer<Entry>
    {
        public static readonly EntryOrder Instance = new();

        public int Compare(Entry? x, Entry? y)
        {
            var byDue = x!.DueAt.CompareTo(y!.DueAt);
            return byDue != 0 ? byDue : x.Sequence.CompareTo(y.Sequence);
        }
    }
}
