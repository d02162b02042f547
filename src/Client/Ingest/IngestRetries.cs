using Enrichment.Abstractions.Diagnostics;
using Polly;
using Polly.Retry;

namespace Enrichment.Client.Ingest;

/// <summary>
/// The ingest's one retry policy for its cluster calls (photos stored or read, events applied, rejections recorded):
/// up to <paramref name="maxAttempts"/> tries, exponential backoff from 400 ms with jitter, every retried failure
/// reported to <see cref="Failures"/> (a throttled log: an outage fails thousands of events the same way). Any failure
/// is worth another try because every call is idempotent (events carry ids and versions, photos are keyed by their
/// hash, a rejection is a record) and what a product refuses comes back as an outcome, not an exception.
/// </summary>
public sealed class IngestRetries(int maxAttempts, RepeatedFailureLog failures)
{
    private readonly ResiliencePipeline _pipeline = maxAttempts <= 1
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
                failures.Report($"{args.Context.OperationKey} (will retry)", args.Outcome.Exception!);
                return default;
            },
        }).Build();

    public RepeatedFailureLog Failures => failures;

    public int MaxAttempts => maxAttempts;

    /// <summary>One idempotent cluster call under the policy; <paramref name="operation"/> names it in the failure log.</summary>
    public async Task<T> RunAsync<T>(string operation, Func<Task<T>> call, CancellationToken ct)
    {
        var context = ResilienceContextPool.Shared.Get(operation, ct);
        try
        {
            return await _pipeline.ExecuteAsync(static async (_, call) => await call(), context, call);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }
}
