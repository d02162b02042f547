namespace Enrichment.Client.Api;

/// <summary>
/// Training and model actions live on accelerator silos: while none is up (or the cluster cannot place or reach the
/// grain), Orleans throws, which was a 500 every time. It is a state of the cluster that passes: a 503 with Retry-After.
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
        catch (OrleansException ex) when (!context.HttpContext.Response.HasStarted)
        {
            // One line, no stack trace: a console polling once a second would otherwise log one per poll.
            logger.LogWarning("{Path}: the cluster cannot serve this now: {Error}", context.HttpContext.Request.Path.Value, ex.Message);
            context.HttpContext.Response.Headers.RetryAfter = ((int)RetryAfter.TotalSeconds).ToString();
            var detail = ex.Message.Contains("No active nodes are compatible", StringComparison.Ordinal)
                ? "this runs on an accelerator silo and none is up; start a silo with --accelerator cpu|cuda"
                : $"the cluster could not complete the call (is an accelerator silo up?): {ex.Message}";
            return Results.Problem(detail, statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }
}
