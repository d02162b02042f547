using Enrichment.Abstractions;
using Enrichment.Persistence.Reviews;
using Orleans.Concurrency;

namespace Enrichment.Grains.Reviews;

/// <summary>Reads the review log; stateless, so any silo answers and none holds it.</summary>
[StatelessWorker]
public sealed class ReviewLogGrain(IReviewLog log) : Grain, IReviewLogGrain
{
    public async Task<ReviewHistoryPage> History(string? before, int limit, string? productId)
    {
        if (ReviewLogRules.Problem(limit, before, productId) is { } problem)
        {
            throw new ArgumentException(problem);
        }
        var page = await log.ListAsync(before is null ? null : ReviewLogCursor.ParseSequence(before), limit, productId);
        return new ReviewHistoryPage(page.Items.ToArray(), page.NextBefore is { } next ? ReviewLogCursor.OfSequence(next) : null);
    }

    public async Task<ReviewHistoryPage> Export(string? after, int limit)
    {
        if (limit is < 1 or > ReviewRules.MaxExportPage)
        {
            throw new ArgumentException($"an export page holds 1 to {ReviewRules.MaxExportPage} entries");
        }
        (string, long)? key = after is null ? null : ReviewLogCursor.ParseKey(after) ?? throw new ArgumentException("after is not an export cursor");
        var items = await log.ExportAsync(key, limit);
        // A full page may have more behind it; the caller stops at the first page shorter than it asked for.
        return new ReviewHistoryPage(items.ToArray(), items.Count == limit ? ReviewLogCursor.OfKey(items[^1].ProductId, items[^1].Entry) : null);
    }
}
