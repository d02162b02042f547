using Microsoft.Extensions.Options;

namespace Enrichment.Client.Api;

/// <summary>Lets an admin endpoint run only for a request carrying the configured token (Authorization: Bearer, or X-Admin-Token).</summary>
public sealed class AdminTokenFilter(IOptions<AdminOptions> options) : IEndpointFilter
{
    public const string Header = "X-Admin-Token";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var expected = options.Value.Token;
        if (string.IsNullOrEmpty(expected))
        {
            return Results.Problem("admin actions are disabled: no admin token is configured (Admin:Token)", statusCode: 403);
        }
        if (!TokenCheck.Presents(context.HttpContext.Request, Header, expected))
        {
            return Results.Problem("a valid admin token is required for this action", statusCode: 401);
        }
        return await next(context);
    }
}
