using Enrichment.Abstractions;

namespace Enrichment.Client.Api;

/// <summary>
/// Many review decisions in one request (<c>POST /api/admin/review/bulk</c>): each goes to its product's grain, a few
/// at a time, and each gets its own result; one that fails (refused, not found, the cluster unavailable) fails alone
/// and says so, never hidden by the others' success.
/// </summary>
public static class BulkReview
{
    /// <summary>Decisions sent to the cluster at once: enough to keep a bulk short, few enough not to crowd out other requests.</summary>
    private const int Parallel = 16;

    public static string? Problem(BulkReviewBody? body)
    {
        if (body?.Items is not { } items)
        {
            return "send { by, note, items: [{ productId, attribute, value (omit to accept the model's), newValue }] }";
        }
        if (items.Length is 0 or > ReviewRules.MaxBulk)
        {
            return $"send between 1 and {ReviewRules.MaxBulk} items (got {items.Length})";
        }
        return null;
    }

    public static async Task<BulkReviewResponse> RunAsync(BulkReviewBody body, IGrainFactory grains, CancellationToken ct)
    {
        var by = string.IsNullOrWhiteSpace(body.By) ? "console" : body.By;
        var results = new BulkReviewResult[body.Items!.Length];
        await System.Threading.Tasks.Parallel.ForEachAsync(Enumerable.Range(0, results.Length),
            new ParallelOptions { MaxDegreeOfParallelism = Parallel, CancellationToken = ct },
            async (i, _) => results[i] = await DecideAsync(body.Items[i], by, body.Note, grains));
        return new BulkReviewResponse(results.Count(r => r.Status == StatusCodes.Status200OK), results.Count(r => r.Status != StatusCodes.Status200OK), results);
    }

    private static async Task<BulkReviewResult> DecideAsync(BulkReviewItem item, string by, string? note, IGrainFactory grains)
    {
        if (!ProductEventValidator.IsValidProductId(item.ProductId))
        {
            return new BulkReviewResult(item.ProductId ?? "", item.Attribute, StatusCodes.Status400BadRequest,
                $"'{ProductEventValidator.Excerpt(item.ProductId)}' is not a valid product id");
        }
        if (item.Attribute is null)
        {
            return new BulkReviewResult(item.ProductId!, null, StatusCodes.Status400BadRequest, "each item names the attribute it decides");
        }
        try
        {
            var outcome = await grains.GetGrain<IProductGrain>(item.ProductId!)
                .Review(new AttributeReviewRequest(item.Attribute, item.Value, by, note, item.NewValue));
            return outcome.Entry is { } entry
                ? new BulkReviewResult(item.ProductId!, item.Attribute, StatusCodes.Status200OK, null, entry)
                : new BulkReviewResult(item.ProductId!, item.Attribute, ReviewEndpoints.StatusOf(outcome.Refusal), outcome.Refused);
        }
        catch (Exception ex) when (ex is StorageUnavailableException or TimeoutException or OrleansException)
        {
            // Not decided: the caller retries this item (its decision was not stored, or a retry finds it stored).
            return new BulkReviewResult(item.ProductId!, item.Attribute, StatusCodes.Status503ServiceUnavailable, "the cluster could not store it now: retry this item");
        }
    }
}

public sealed record BulkReviewItem(string? ProductId, string? Attribute, string? Value = null, bool NewValue = false);

/// <summary>One reviewer's decisions; <see cref="Note"/> goes with each.</summary>
public sealed record BulkReviewBody(string? By, string? Note, BulkReviewItem[]? Items);

/// <summary>One item's result, in the order sent: 200 with the history entry it wrote, or the status and reason it failed with.</summary>
public sealed record BulkReviewResult(string ProductId, string? Attribute, int Status, string? Problem, ReviewHistoryEntry? Entry = null);

public sealed record BulkReviewResponse(int Reviewed, int Failed, BulkReviewResult[] Results);
