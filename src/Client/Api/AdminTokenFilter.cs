using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Enrichment.Client.Api;

/// <summary>Lets an admin endpoint run only for a request carrying the configured token (Authorization: Bearer, or X-Admin-Token).</summary>
public sealed class AdminTokenFilter(IOptions<AdminOptions> options) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var expected = options.Value.Token;
        if (string.IsNullOrEmpty(expected))
        {
            return Results.Problem("admin actions are disabled: no admin token is configured (Admin:Token)", statusCode: 403);
        }
        var request = context.HttpContext.Request;
        var presented = request.Headers["X-Admin-Token"].ToString();
        var authorization = request.Headers.Authorization.ToString();
        if (presented.Length == 0 && authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            presented = authorization["Bearer ".Length..].Trim();
        }
        // Constant-time comparison: the token must not leak through response timing.
        if (!CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), Encoding.UTF8.GetBytes(expected)))
        {
            return Results.Problem("a valid admin token is required for this action", statusCode: 401);
        }
        return await next(context);
    }
}
