using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Options;

namespace Enrichment.Client.Api;

/// <summary>
/// Lets the Orleans Dashboard answer only a request carrying the admin token: as the API takes it (X-Admin-Token,
/// Bearer), or as a browser can send it to every page, script and data call of the dashboard without our script on
/// them, HTTP Basic (any user name, the token as password). It shows grain state and silo internals.
/// </summary>
public sealed class DashboardAccessFilter(IOptions<AdminOptions> options) : IEndpointFilter
{
    public const string Challenge = "Basic realm=\"Orleans Dashboard (admin token as password)\", charset=\"UTF-8\"";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var expected = options.Value.Token;
        if (string.IsNullOrEmpty(expected))
        {
            return Results.Problem("the dashboard is disabled: no admin token is configured (Admin:Token)", statusCode: 403);
        }
        var request = context.HttpContext.Request;
        if (TokenCheck.Presents(request, AdminTokenFilter.Header, expected) || BasicPasswordIs(request, expected))
        {
            return await next(context);
        }
        context.HttpContext.Response.Headers.WWWAuthenticate = Challenge;
        return Results.Problem("the dashboard needs the admin token (as the password of the browser's sign-in, or X-Admin-Token)", statusCode: 401);
    }

    private static bool BasicPasswordIs(HttpRequest request, string expected)
    {
        if (!AuthenticationHeaderValue.TryParse(request.Headers.Authorization.ToString(), out var header)
            || !string.Equals(header.Scheme, "Basic", StringComparison.OrdinalIgnoreCase) || header.Parameter is null)
        {
            return false;
        }
        Span<byte> decoded = stackalloc byte[1024];
        if (!Convert.TryFromBase64String(header.Parameter, decoded, out var length))
        {
            return false;
        }
        var credentials = Encoding.UTF8.GetString(decoded[..length]);
        var colon = credentials.IndexOf(':');
        return colon >= 0 && TokenCheck.SameToken(credentials[(colon + 1)..], expected);
    }
}
