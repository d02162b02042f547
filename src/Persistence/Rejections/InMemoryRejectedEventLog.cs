using Enrichment.Abstractions;

namespace Enrichment.Persistence.Rejections;

/// <summary>The embedded default's rejection log: the newest <paramref name="keep"/> rows in one process's memory.</summary>
public sealed class InMemoryRejectedEventLog(int keep) : IRejectedEventLog
{
    private readonly Lock _gate = new();
    private readonly LinkedList<(long Sequence, RejectedEvent Row)> _rows = new();
    private long _sequence;

    public Task AppendAsync(RejectedEvent rejected, CancellationToken ct = default)
    {
        lock (_gate)
        {
            _rows.AddLast((++_sequence, rejected.Bounded()));
            while (_rows.Count > keep)
            {
                _rows.RemoveFirst();
            }
        }
        return Task.CompletedTask;
    }

    public Task<RejectedPage> ListAsync(long? beforeSequence, int take, RejectedFilter? filter = null, CancellationToken ct = default)
    {
        var matching = filter is null || filter.IsEmpty ? null : filter;
        lock (_gate)
        {
            var (items, next) = KeysetPage.Of(
                NewestFirst().Where(r => (beforeSequence is not { } before || r.Sequence < before) && (matching is null || matching.Matches(r.Row))),
                take, r => RejectedPage.Cursor(r.Sequence));
            var total = matching is null ? _rows.Count : _rows.Count(r => matching.Matches(r.Row));
            return Task.FromResult(new RejectedPage(total, items.Select(i => i.Row).ToArray(), next));
        }
    }

    private IEnumerable<(long Sequence, RejectedEvent Row)> NewestFirst()
    {
        for (var node = _rows.Last; node is not null; node = node.Previous)
        {
            yield return node.Value;
        }
    }
}
