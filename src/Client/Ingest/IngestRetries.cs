using Polly;
using Polly.Retry;

namespace Enrichment.Client.Ingest;

/// <summary>
/// The ingest's one retry policy for its cluster calls (photos stored or read, events applied, rejections recorded):
/// up to <see cref="IngestOptions.MaxAttempts"/> tries, exponential backoff from 400 ms with jitter, every retried
/// failure handed to <paramref name="onRetry"/> (the throttled failure log). Any failure is worth another try because
/// every call is idempotent (events carry ids and versions, photos are keyed by their hash, a rejection is a record)
/// and what a product refuses comes back as an outcome, not an exception.
/// </summary>
public static class IngestRetries
{
    public static ResiliencePipeline Build(int maxAttempts, Action<string, Exception> onRetry) => maxAttempts <= 1
        ? ResiliencePipeline.Empty
        : new ResiliencePipelineBuilder().AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<Exception>(ex => ex is not OperationCanceledException),
            MaxRetryAttempts = maxAttempts - 1,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = TimeSpan.FromMilliseconds(400),
            MaxDelay = TimeSpan.FromSeconds(10),
            OnRetry = args =>
            {
                onRetry($"{args.Context.OperationKey} (will retry)", args.Outcome.Exception!);
                return default;
            },
        }).Build();
}
