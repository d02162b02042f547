using Microsoft.Extensions.Options;

namespace Enrichment.Client.Api;

/// <summary>
/// Gives a read endpoint <see cref="ApiOptions.ClusterCallTimeout"/> to answer; past it, a <see cref="TimeoutException"/>
/// that <see cref="ClusterUnavailableFilter"/> (outside this one) turns into 503 with Retry-After. Not for streams.
/// </summary>
public sealed class BoundedClusterCallFilter(IOptions<ApiOptions> options) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var bound = context.HttpContext.GetEndpoint()?.Metadata.GetMetadata<DeploymentCallBound>() is null
            ? options.Value.ClusterCallTimeout
            : options.Value.DeploymentCallTimeout;
        return await next(context).AsTask().WaitAsync(bound, context.HttpContext.RequestAborted);
    }
}

public static class ClusterReadEndpoints
{
    /// <summary>A group for reads that call the cluster: ids checked, answered within the bound, or 503 with Retry-After.</summary>
    public static RouteGroupBuilder MapClusterReads(this IEndpointRouteBuilder app) =>
        app.MapGroup("").AddEndpointFilter<RouteIdFilter>().AddEndpointFilter<ClusterUnavailableFilter>().AddEndpointFilter<BoundedClusterCallFilter>();

    /// <summary>
    /// The group for admin actions (<c>/api/admin</c>): the admin token first, then the route's ids, then the cluster's
    /// availability and the bound (the read bound; a deployment's own, <see cref="DeploymentCallBound"/>).
    /// </summary>
    public static RouteGroupBuilder MapAdminActions(this IEndpointRouteBuilder app) =>
        app.MapGroup("/api/admin").AddEndpointFilter<AdminTokenFilter>().AddEndpointFilter<RouteIdFilter>()
            .AddEndpointFilter<ClusterUnavailableFilter>().AddEndpointFilter<BoundedClusterCallFilter>();
}
