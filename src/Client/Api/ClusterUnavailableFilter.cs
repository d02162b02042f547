using Enrichment.Abstractions;

namespace Enrichment.Client.Api;

/// <summary>
/// When the cluster cannot serve a call (no accelerator silo for training and model actions, a silo that just died
/// under a read, storage down), Orleans throws, which was a 500 every time. It is a state of the cluster that
/// passes: a 503 with Retry-After.
/// </summary>
public sealed class ClusterUnavailableFilter(ILogger<ClusterUnavailableFilter> logger) : IEndpointFilter
{
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(10);

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (Exception ex) when (IsClusterFailure(ex) && !context.HttpContext.Response.HasStarted)
        {
            // One line, no stack trace: a console polling once a second would otherwise log one per poll.
            logger.LogWarning("{Path}: the cluster cannot serve this now: {Error}", context.HttpContext.Request.Path.Value, ex.Message);
            context.HttpContext.Response.Headers.RetryAfter = ((int)RetryAfter.TotalSeconds).ToString();
            var detail = ex switch
            {
                _ when ex.Message.Contains("No active nodes are compatible", StringComparison.Ordinal) =>
                    "this runs on an accelerator silo and none is up; start a silo with --accelerator cpu|cuda",
                TimeoutException => "the cluster did not answer in time (a silo may have just stopped); retry shortly",
                StorageUnavailableException => $"storage is unavailable: {ex.Message}",
                _ => $"the cluster could not complete the call: {ex.Message}",
            };
            return Results.Problem(detail, statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }

    /// <summary>A state of the cluster that passes (silo gone, placement impossible, storage down), not a bug of ours.</summary>
    private static bool IsClusterFailure(Exception ex) => ex is OrleansException or TimeoutException or StorageUnavailableException;
}
