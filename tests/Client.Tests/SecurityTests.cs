using System.Net;
using System.Text;
using Enrichment.Abstractions;
using Enrichment.Client.Api;
using Enrichment.TestSupport;

namespace Enrichment.Client.Tests;

/// <summary>
/// Issue 23: the two tokens and the browser headers as tables. For each token (admin, ingest) and each way of
/// configuring it (none, empty, set), every variant of what a request presents, in its own header and as
/// Authorization: Bearer; and the security headers on every kind of response the app itself produces.
/// </summary>
[Collection(ClientApiCollection.Name)]
[Trait("Category", "Cluster")]
public sealed class SecurityTests(ClientApiFixture fixture)
{
    private const string Admin = "Adm1n-Token-9kQ2";
    private const string Ingest = "Ingest-Token-4pZ7";

    public enum Configured { None, Empty, Set }

    /// <summary>What a request presents, given the right token and the other one.</summary>
    private static readonly (string Name, Func<string, string, string?> Value)[] Presented =
    [
        ("nothing", (_, _) => null),
        ("an empty value", (_, _) => ""),
        ("whitespace", (_, _) => "   "),
        ("a proper prefix", (right, _) => right[..^1]),
        ("a proper suffix", (right, _) => right[1..]),
        ("the token and more", (right, _) => right + "x"),
        ("the other token", (_, other) => other),
        ("upper case", (right, _) => right.ToUpperInvariant()),
        ("lower case", (right, _) => right.ToLowerInvariant()),
        ("the token with surrounding spaces", (right, _) => $"  {right} "),
        ("the token", (right, _) => right),
    ];

    /// <summary>
    /// HTTP strips a header value's surrounding whitespace (RFC 9110 5.5), so " token " arrives as the token; any other
    /// change of a single character, or of the length, is another token.
    /// </summary>
    private static bool IsTheToken(string name) => name is "the token" or "the token with surrounding spaces";

    private static Dictionary<string, string?> Config(Configured admin, Configured ingest) => new()
    {
        // "None" overrides the shared fixture's admin token with no value at all (null), "Empty" with "".
        ["Admin:Token"] = admin switch { Configured.Set => Admin, Configured.Empty => "", _ => null },
        ["Ingest:Token"] = ingest switch { Configured.Set => Ingest, Configured.Empty => "", _ => null },
    };

    private static HttpRequestMessage WithToken(HttpRequestMessage request, string header, string? value, bool bearer)
    {
        if (value is not null)
        {
            request.Headers.TryAddWithoutValidation(bearer ? "Authorization" : header, bearer ? $"Bearer {value}" : value);
        }
        return request;
    }

    [Theory]
    [InlineData(Configured.None)]
    [InlineData(Configured.Empty)]
    [InlineData(Configured.Set)]
    public async Task Admin_actions_open_only_to_the_exact_configured_admin_token(Configured configured)
    {
        var (app, http) = await fixture.StartAppAsync(Config(configured, Configured.Set));
        await using var _ = app;
        using var __ = http;
        var product = $"no-such-product-{Guid.NewGuid():N}";

        var wrong = new List<string>();
        foreach (var bearer in new[] { false, true })
        {
            foreach (var (name, value) in Presented)
            {
                // An admin action with no effect on a product that does not exist: 404 once past the token check.
                using var request = WithToken(new HttpRequestMessage(HttpMethod.Post, $"/api/admin/products/{product}/enrich"),
                    AdminTokenFilter.Header, value(Admin, Ingest), bearer);
                using var response = await http.SendAsync(request);
                var expected = configured != Configured.Set ? HttpStatusCode.Forbidden
                    : IsTheToken(name) ? HttpStatusCode.NotFound
                    : HttpStatusCode.Unauthorized;
                if (response.StatusCode != expected)
                {
                    wrong.Add($"{name} ({(bearer ? "Bearer" : AdminTokenFilter.Header)}): {(int)response.StatusCode}, expected {(int)expected}");
                }
            }
        }
        Assert.True(wrong.Count == 0, $"admin token configured {configured}:\n{string.Join("\n", wrong)}");
    }

    [Theory]
    [InlineData(Configured.None)]
    [InlineData(Configured.Empty)]
    [InlineData(Configured.Set)]
    public async Task Posting_events_needs_the_exact_configured_ingest_token_and_is_open_when_none_is_configured(Configured configured)
    {
        var (app, http) = await fixture.StartAppAsync(Config(Configured.Set, configured));
        await using var _ = app;
        using var __ = http;

        var wrong = new List<string>();
        foreach (var bearer in new[] { false, true })
        {
            foreach (var (name, value) in Presented)
            {
                // An empty batch stores nothing: 400 ("holds no events") once past the token check.
                using var request = WithToken(new HttpRequestMessage(HttpMethod.Post, "/api/events")
                    {
                        Content = new StringContent("[]", Encoding.UTF8, "application/json"),
                    }, IngestTokenFilter.Header, value(Ingest, Admin), bearer);
                using var response = await http.SendAsync(request);
                var expected = configured != Configured.Set || IsTheToken(name) ? HttpStatusCode.BadRequest : HttpStatusCode.Unauthorized;
                if (response.StatusCode != expected)
                {
                    wrong.Add($"{name} ({(bearer ? "Bearer" : IngestTokenFilter.Header)}): {(int)response.StatusCode}, expected {(int)expected}");
                }
            }
        }
        Assert.True(wrong.Count == 0, $"ingest token configured {configured}:\n{string.Join("\n", wrong)}");
    }

    [Fact]
    public async Task Neither_token_grants_the_others_actions()
    {
        var (app, http) = await fixture.StartAppAsync(Config(Configured.Set, Configured.Set));
        await using var _ = app;
        using var __ = http;

        using var adminWithIngest = await http.SendAsync(WithToken(new HttpRequestMessage(HttpMethod.Post, "/api/admin/training/cancel"),
            AdminTokenFilter.Header, Ingest, bearer: false));
        using var ingestWithAdmin = await http.SendAsync(WithToken(new HttpRequestMessage(HttpMethod.Post, "/api/events")
            {
                Content = new StringContent("[]", Encoding.UTF8, "application/json"),
            }, IngestTokenFilter.Header, Admin, bearer: false));

        Assert.Equal(HttpStatusCode.Unauthorized, adminWithIngest.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, ingestWithAdmin.StatusCode);
    }

    /// <summary>
    /// One kind of response: how to ask for it, and the status that proves it is that kind. The app creates nothing
    /// with 201 (a product is stored by an event: 200 with the outcome), so there is no 201 to probe.
    /// </summary>
    private sealed record Probe(string Kind, HttpStatusCode Status, Func<HttpRequestMessage> Request);

    private static HttpRequestMessage Get(string path) => new(HttpMethod.Get, path);

    private static HttpRequestMessage Post(string path, string body, string contentType = "application/json", string? adminToken = null, string? ingestToken = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body)) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        if (adminToken is not null)
        {
            request.Headers.TryAddWithoutValidation(AdminTokenFilter.Header, adminToken);
        }
        if (ingestToken is not null)
        {
            request.Headers.TryAddWithoutValidation(IngestTokenFilter.Header, ingestToken);
        }
        return request;
    }

    [Fact]
    public async Task Every_kind_of_response_the_app_produces_carries_the_security_headers()
    {
        var current = await Eventually.Get(() => fixture.Cluster.Client.GetGrain<IModelRegistryGrain>(0).GetCurrent(), v => v is not null,
            TimeSpan.FromSeconds(60), "the bootstrap model to be published");
        var tooLongReason = new string('r', DeploymentRules.MaxReasonLength + 1);
        var tooManyEvents = "[" + string.Join(",", Enumerable.Range(0, 1001).Select(i => $$"""{"eventId":"e{{i}}","productId":"p{{i}}","version":1,"name":"n"}""")) + "]";

        // Tokens set, and a body limit small enough to cross cheaply.
        var (app, http) = await fixture.StartAppAsync(new Dictionary<string, string?>(Config(Configured.Set, Configured.Set)) { ["Ingest:MaxRequestBytes"] = "200000" });
        await using var _ = app;
        using var __ = http;
        // No admin token configured: admin actions are refused outright.
        var (closedApp, closed) = await fixture.StartAppAsync(Config(Configured.None, Configured.None));
        await using var ___ = closedApp;
        using var ____ = closed;
        // Every cluster read "too slow": the 503 the app gives while the cluster does not answer.
        var (slowApp, slow) = await fixture.StartAppAsync(new Dictionary<string, string?> { ["Api:ClusterCallTimeout"] = "00:00:00.0000001" });
        await using var _____ = slowApp;
        using var ______ = slow;

        var probes = new (HttpClient Http, Probe Probe)[]
        {
            (http, new("200 read", HttpStatusCode.OK, () => Get("/api/models"))),
            (http, new("200 health", HttpStatusCode.OK, () => Get("/healthz/live"))),
            (http, new("200 metrics", HttpStatusCode.OK, () => Get("/metrics"))),
            (http, new("200 static file (console page)", HttpStatusCode.OK, () => Get("/"))),
            (http, new("200 static file (script)", HttpStatusCode.OK, () => Get("/js/console.js"))),
            (http, new("200 static file (stylesheet)", HttpStatusCode.OK, () => Get("/console.css"))),
            (http, new("200 ingest", HttpStatusCode.OK, () => Post("/api/events",
                $$"""[{"eventId":"e-sec-{{Guid.NewGuid():N}}","productId":"sec-{{Guid.NewGuid():N}}","version":1,"name":"Header probe"}]""", ingestToken: Ingest))),
            (http, new("400 through the exception handler (unreadable JSON)", HttpStatusCode.BadRequest,
                () => Post("/api/admin/training", "{\"epochs\":", adminToken: Admin))),
            (http, new("400 from an endpoint", HttpStatusCode.BadRequest, () => Get("/api/products?limit=0"))),
            (http, new("400 from the query-string guard", HttpStatusCode.BadRequest, () => Get("/api/products?type=%00"))),
            (http, new("401", HttpStatusCode.Unauthorized, () => Post("/api/admin/training/cancel", "{}"))),
            (closed, new("403", HttpStatusCode.Forbidden, () => Post("/api/admin/training/cancel", "{}", adminToken: Admin))),
            (http, new("404 unknown route", HttpStatusCode.NotFound, () => Get("/api/nothing-here"))),
            (http, new("404 from an endpoint", HttpStatusCode.NotFound, () => Get($"/api/products/missing-{Guid.NewGuid():N}"))),
            (http, new("405", HttpStatusCode.MethodNotAllowed, () => Get("/api/events"))),
            (http, new("409", HttpStatusCode.Conflict, () => Post($"/api/admin/models/{Uri.EscapeDataString(current!.VersionId)}/deploy",
                $$"""{"by":"tester","reason":"{{tooLongReason}}"}""", adminToken: Admin))),
            (http, new("413 body", HttpStatusCode.RequestEntityTooLarge, () => Post("/api/events", new string(' ', 300_000), ingestToken: Ingest))),
            (http, new("413 events", HttpStatusCode.RequestEntityTooLarge, () => Post("/api/events", tooManyEvents, ingestToken: Ingest))),
            (http, new("415", HttpStatusCode.UnsupportedMediaType, () => Post("/api/events", "[]", "text/plain", ingestToken: Ingest))),
            (slow, new("503", HttpStatusCode.ServiceUnavailable, () => Get("/api/models"))),
            (http, new("200 server-sent events", HttpStatusCode.OK, () => Get("/api/training/stream"))),
            (http, new("200 streamed export (CSV)", HttpStatusCode.OK, () => Get("/api/review/export?format=csv"))),
            (http, new("200 OpenAPI document", HttpStatusCode.OK, () => Get(Enrichment.Client.Hosting.ApiDescription.DocumentPath))),
            // The reference page has a policy of its own (a nonce for Scalar's inline script), with the same framing rules.
            (http, new("200 API reference page", HttpStatusCode.OK, () => Get(Enrichment.Client.Hosting.ApiDescription.ReferencePath + "/"))),
        };

        var wrong = new List<string>();
        foreach (var (client, probe) in probes)
        {
            using var request = probe.Request();
            // Headers only: the event stream never ends by itself.
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            if (response.StatusCode != probe.Status)
            {
                wrong.Add($"{probe.Kind}: status {(int)response.StatusCode}, expected {(int)probe.Status}");
                continue;
            }
            var missing = MissingHeaders(response);
            if (missing.Count > 0)
            {
                wrong.Add($"{probe.Kind}: missing {string.Join(", ", missing)}");
            }
        }
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }

    private static List<string> MissingHeaders(HttpResponseMessage response)
    {
        string? One(string name) => response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : null;
        var missing = new List<string>();
        if (One("Content-Security-Policy") is not { } csp || !csp.Contains("frame-ancestors 'none'") || !csp.Contains("default-src 'self'"))
        {
            missing.Add("Content-Security-Policy");
        }
        if (One("X-Frame-Options") != "DENY")
        {
            missing.Add("X-Frame-Options");
        }
        if (One("X-Content-Type-Options") != "nosniff")
        {
            missing.Add("X-Content-Type-Options");
        }
        if (One("Referrer-Policy") != "no-referrer")
        {
            missing.Add("Referrer-Policy");
        }
        return missing;
    }
}
