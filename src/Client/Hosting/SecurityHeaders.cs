using Scalar.AspNetCore;

namespace Enrichment.Client.Hosting;

/// <summary>
/// Headers on every response that stop other sites from framing the console (whose buttons the admin token in
/// localStorage drives), from sniffing API bodies into scripts and from learning our URLs through Referer.
/// </summary>
public static class SecurityHeaders
{
    /// <summary>The console loads only its own script, stylesheet, images and API; nothing inline, nothing foreign.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    /// <summary>
    /// The API reference page (Scalar): its inline bootstrap script runs by this response's nonce, and its components
    /// set inline styles; everything else it loads still comes from here.
    /// </summary>
    public static string ReferencePolicy(string nonce) =>
        $"default-src 'self'; script-src 'self' 'nonce-{nonce}'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; " +
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    /// <summary>The Orleans Dashboard (its own scripts from here; its components set inline styles, its stylesheet inlines fonts).</summary>
    public const string DashboardPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; " +
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = context.Items.TryGetValue(ScalarOptions.NonceHttpContextItemKey, out var nonce) && nonce is string value
                ? ReferencePolicy(value)
                : context.Request.Path.StartsWithSegments(ClusterDashboard.Path) ? DashboardPolicy : ContentSecurityPolicy;
            headers.XFrameOptions = "DENY";
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "no-referrer";
            headers["Cross-Origin-Opener-Policy"] = "same-origin";
            headers["Cross-Origin-Resource-Policy"] = "same-origin";
            return Task.CompletedTask;
        });
        return next(context);
    });
}
