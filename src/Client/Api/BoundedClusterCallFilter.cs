using Microsoft.Extensions.Options;

namespace Enrichment.Client.Api;

/// <summary>
/// Gives a read endpoint <see cref="ApiOptions.ClusterCallTimeout"/> to answer; past it, a <see cref="TimeoutException"/>
/// that <see cref="ClusterUnavailableFilter"/> (outside this one) turns into 503 with Retry-After. Not for streams.
/// </summary>
public sealed class BoundedClusterCallFilter(IOptions<ApiOptions> options, [FromKeyedServices(BoundedClusterCallFilter.ClockKey)] TimeProvider clock)
    : IEndpointFilter
{
    /// <summary>The clock bounds run on: keyed, so a test can make every bound run out at once without changing time for anything else.</summary>
    public const string ClockKey = "cluster-call-bound";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var bound = context.HttpContext.GetEndpoint()?.Metadata.GetMetadata<DeploymentCallBound>() is null
            ? options.Value.ClusterCallTimeout
            : options.Value.DeploymentCallTimeout;
        return await next(context).AsTask().WaitAsync(bound, clock, context.HttpContext.RequestAborted);
    }
}

public static class ClusterReadEndpoints
{
    /// <summary>A group for reads that call the cluster: ids checked, answered within the bound, or 503 with Retry-After.</summary>
    /// The problems these filters answer are declared here, with them, so the OpenAPI document lists them (400 is also
    /// the query-string guard's, in front of every route).
    public static RouteGroupBuilder MapClusterReads(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("").AddEndpointFilter<RouteIdFilter>().AddEndpointFilter<ClusterUnavailableFilter>().AddEndpointFilter<BoundedClusterCallFilter>();
        group.ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return group;
    }

    /// <summary>
    /// The group for admin actions (<c>/api/admin</c>): the admin token first, then the route's ids, then the cluster's
    /// availability and the bound (the read bound; a deployment's own, <see cref="DeploymentCallBound"/>).
    /// </summary>
    public static RouteGroupBuilder MapAdminActions(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/admin").AddEndpointFilter<AdminTokenFilter>().AddEndpointFilter<RouteIdFilter>()
            .AddEndpointFilter<ClusterUnavailableFilter>().AddEndpointFilter<BoundedClusterCallFilter>();
        group.ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return group;
    }
}
