using System.Net;
using System.Net.Sockets;
using Amazon.Runtime;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace Enrichment.Persistence.Images;

/// <summary>
/// The object store's one retry layer (the SDK's own is off): each request bounded by
/// <see cref="S3PhotoOptions.RequestTimeout"/>, transient failures retried with exponential backoff and jitter, and
/// the whole operation bounded by <see cref="S3PhotoOptions.RetryBudget"/>, so a slow or failing store costs a caller
/// a known time before it gets the error (and the enrichment queue's own backoff takes over).
/// </summary>
public static class S3Retries
{
    /// <summary>The pipeline's name in <c>ResiliencePipelineProvider&lt;string&gt;</c> (and in Polly's logs and metrics).</summary>
    public const string PipelineName = "photos-s3";

    public static ResiliencePipelineBuilder Configure(ResiliencePipelineBuilder builder, S3PhotoOptions options)
    {
        builder.AddTimeout(options.RetryBudget);
        if (options.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<Exception>(IsTransient),
                MaxRetryAttempts = options.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryInitialDelay,
                MaxDelay = TimeSpan.FromSeconds(10),
            });
        }
        return builder.AddTimeout(options.RequestTimeout);
    }

    public static ResiliencePipeline Build(S3PhotoOptions options) => Configure(new ResiliencePipelineBuilder(), options).Build();

    /// <summary>
    /// Worth another try: the server's 5xx (not 501: a feature it lacks stays lacking), throttling, a request timed
    /// out or a connection lost. Never: not found, refused (4xx), a precondition.
    /// </summary>
    public static bool IsTransient(Exception ex) => ex switch
    {
        TimeoutRejectedException => true,
        AmazonServiceException service when service.StatusCode == HttpStatusCode.NotImplemented => false,
        AmazonServiceException service when (int)service.StatusCode >= 500 || service.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout
            || service.ErrorCode is "SlowDown" or "RequestTimeout" or "ConditionalRequestConflict" => true,
        AmazonServiceException { InnerException: { } inner } => IsTransient(inner),
        HttpRequestException or IOException or SocketException => true,
        _ => false,
    };
}
