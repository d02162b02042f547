using Enrichment.Abstractions;

namespace Enrichment.Client.Api;

/// <summary>
/// Checks every id a route names (<c>{id}</c>: a product, <c>{versionId}</c>: a model version) with the one id rule
/// (<see cref="ProductEventValidator.IsValidProductId"/>) before any handler runs, so no route can activate a grain
/// under a key that no event could have created, or fail on one as a 500. Model version ids (<c>sha256:…</c>) are
/// within the same rule.
/// </summary>
public sealed class RouteIdFilter : IEndpointFilter
{
    private static readonly (string Name, string What)[] Ids = [("id", "product id"), ("versionId", "model version id")];

    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var values = context.HttpContext.Request.RouteValues;
        foreach (var (name, what) in Ids)
        {
            if (values.TryGetValue(name, out var raw) && !ProductEventValidator.IsValidProductId(raw as string))
            {
                return ValueTask.FromResult<object?>(Results.Problem(
                    $"'{ProductEventValidator.Excerpt(raw as string)}' is not a valid {what}: 1-{ProductEventValidator.MaxIdLength} of A-Z a-z 0-9 . _ : -",
                    statusCode: StatusCodes.Status400BadRequest));
            }
        }
        return next(context);
    }
}
