using Enrichment.Abstractions;

namespace Enrichment.Grains.Queue;

/// <summary>Pure rules for what becomes of a claimed work item once its product has answered.</summary>
public static class WorkItemRules
{
    /// <summary>Null when the item is done (remove it); otherwise when to try again, or to park it (no delay).</summary>
    public static EnrichmentRetry? After(EnrichmentWorkItem item, EnrichmentCompletion completion, string note, DateTimeOffset now, EnrichmentQueueOptions options) =>
        completion switch
        {
            EnrichmentCompletion.Applied => null,
            EnrichmentCompletion.Retry => new EnrichmentRetry(item, options.RetryDelay(item.Attempt), note),
            // "Nothing to do" is trusted only once no write that raced the enqueue can still land (see OrphanGrace).
            _ when now - item.EnqueuedAt < options.OrphanGrace =>
                new EnrichmentRetry(item, options.RetryDelay(item.Attempt), $"product answered {completion}; asked again until the grace period ends"),
            _ => null,
        };

    /// <summary>A failure on the way (storage, a silo gone): try again later, within the item's budget.</summary>
    public static EnrichmentRetry AfterFailure(EnrichmentWorkItem item, Exception error, EnrichmentQueueOptions options) =>
        new(item, options.RetryDelay(item.Attempt), error.GetBaseException().Message);
}
