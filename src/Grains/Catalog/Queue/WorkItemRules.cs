using Enrichment.Abstractions;

namespace Enrichment.Grains.Queue;

/// <summary>What becomes of a claimed work item once its product has answered.</summary>
public enum WorkItemNext
{
    /// <summary>The product's write removed it (a final answer is stored with the item's removal).</summary>
    RemovedWithProduct,
    /// <summary>Nothing to do for it (product gone, or no longer waiting for this photo): remove it.</summary>
    Remove,
    /// <summary>Try again later, or park it once its budget is spent.</summary>
    Retry,
}

/// <summary>Pure rules for what becomes of a claimed work item once its product has answered.</summary>
public static class WorkItemRules
{
    public static WorkItemNext Next(EnrichmentCompletion completion) => completion switch
    {
        EnrichmentCompletion.Applied => WorkItemNext.RemovedWithProduct,
        EnrichmentCompletion.Retry => WorkItemNext.Retry,
        // The item and the product are written together, so "nothing to do" is the truth, not a race to wait out.
        _ => WorkItemNext.Remove,
    };

    /// <summary>The item's next try after a "later" answer (parked, no delay, once its budget is spent).</summary>
    public static EnrichmentRetry Later(EnrichmentWorkItem item, string waiting, EnrichmentQueueOptions options) =>
        new(item, options.RetryDelay(item.Attempt), waiting);

    /// <summary>A failure on the way (storage, a silo gone): try again later, within the item's budget.</summary>
    public static EnrichmentRetry AfterFailure(EnrichmentWorkItem item, Exception error, EnrichmentQueueOptions options) =>
        new(item, options.RetryDelay(item.Attempt), error.GetBaseException().Message);
}
