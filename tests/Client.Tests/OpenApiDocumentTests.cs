using System.Net;
using System.Text.RegularExpressions;
using Enrichment.Client.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;

namespace Enrichment.Client.Tests;

/// <summary>
/// Issue 21 (described API): the running client serves an OpenAPI 3.1 document that an OpenAPI reader accepts without
/// errors and that lists every route the app mapped, with its methods; and an API reference page whose script is
/// served by the client itself.
/// </summary>
[Collection(ClientApiCollection.Name)]
[Trait("Category", "Cluster")]
public sealed partial class OpenApiDocumentTests(ClientApiFixture fixture)
{
    [Fact]
    public async Task The_document_is_valid_OpenAPI_3_1_and_lists_every_mapped_route_with_its_methods()
    {
        var response = await fixture.Http.GetAsync(ApiDescription.DocumentPath);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var json = await response.Content.ReadAsStringAsync();

        var (document, diagnostic) = OpenApiDocument.Parse(json, "json");
        Assert.Empty(diagnostic!.Errors);
        Assert.Equal(OpenApiSpecVersion.OpenApi3_1, diagnostic.SpecificationVersion);
        Assert.Empty(document!.Validate(ValidationRuleSet.GetDefaultRuleSet()) ?? []);

        var missing = new List<string>();
        var hidden = new List<string>();
        var routes = 0;
        foreach (var endpoint in fixture.App.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            var path = OpenApiPath(endpoint.RoutePattern);
            if (endpoint.Metadata.GetMetadata<IExcludeFromDescriptionMetadata>() is { ExcludeFromDescription: true })
            {
                hidden.Add(path);
                continue;
            }
            routes++;
            // An endpoint without method metadata (a health check) answers every method; GET is the one to describe.
            var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET"];
            foreach (var method in methods)
            {
                var described = document.Paths.TryGetValue(path, out var item)
                    && item.Operations?.ContainsKey(new HttpMethod(method)) == true;
                if (!described)
                {
                    missing.Add($"{method} {path}");
                }
            }
        }

        Assert.True(routes > 20, $"only {routes} routes found: the endpoint data source was not the app's");
        Assert.Empty(missing);
        // Every operation is grouped, under a tag the document declares.
        var declared = document.Tags!.Select(t => t.Name).ToHashSet();
        Assert.All(document.Paths.SelectMany(p => p.Value.Operations!.Select(o => (Route: $"{o.Key} {p.Key}", o.Value.Tags))),
            op => Assert.True(op.Tags is { Count: > 0 } && op.Tags.All(t => declared.Contains(t.Name!)), $"{op.Route} has no declared tag"));
        // Only the description's own plumbing and the Orleans Dashboard (Orleans' pages, not this API) may stay out of it.
        Assert.All(hidden, path => Assert.Matches("^/(openapi|scalar|dashboard)(/|$)", path));
    }

    [Fact]
    public async Task Every_admin_action_documents_the_401_it_really_answers_without_the_token()
    {
        var document = OpenApiDocument.Parse(await fixture.Http.GetStringAsync(ApiDescription.DocumentPath), "json").Document!;
        var actions = document.Paths.Where(p => p.Key.StartsWith("/api/admin/", StringComparison.Ordinal))
            .SelectMany(p => p.Value.Operations!.Select(o => (Method: o.Key, Path: p.Key, Operation: o.Value))).ToList();
        Assert.NotEmpty(actions);

        foreach (var (method, path, operation) in actions)
        {
            // Any id will do: the token is checked before the route's ids, the body or the cluster.
            var url = Parameter().Replace(path, "1");
            var response = await fixture.Http.SendAsync(new HttpRequestMessage(method, url));

            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.True(operation.Responses!.TryGetValue("401", out var documented), $"{method} {path} does not document 401");
            Assert.Contains("application/problem+json", documented!.Content!.Keys);
        }
    }

    [Fact]
    public async Task The_reference_page_loads_its_script_from_the_client_under_a_per_response_nonce()
    {
        var page = await fixture.Http.GetAsync(ApiDescription.ReferencePath + "/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();

        var sources = ScriptSource().Matches(html).Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(sources);
        foreach (var source in sources)
        {
            Assert.DoesNotContain("//", source); // relative: nothing is fetched from another host
            var script = await fixture.Http.GetAsync(new Uri(new Uri(fixture.Http.BaseAddress!, ApiDescription.ReferencePath + "/"), source));
            Assert.Equal(HttpStatusCode.OK, script.StatusCode);
            Assert.Contains("javascript", script.Content.Headers.ContentType?.MediaType);
        }

        var nonce = Assert.Single(Nonce().Matches(html).Select(m => m.Groups[1].Value).Distinct());
        var policy = page.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains($"script-src 'self' 'nonce-{nonce}'", policy);
        var again = await fixture.Http.GetAsync(ApiDescription.ReferencePath + "/");
        Assert.DoesNotContain(nonce, await again.Content.ReadAsStringAsync());
        // The rest of the site keeps the strict policy.
        var other = await fixture.Http.GetAsync(ApiDescription.DocumentPath);
        Assert.Equal(SecurityHeaders.ContentSecurityPolicy, other.Headers.GetValues("Content-Security-Policy").Single());
    }

    /// <summary>A route as OpenAPI writes its path: parameters by name alone, without constraints or catch-all marks.</summary>
    private static string OpenApiPath(RoutePattern pattern) =>
        "/" + string.Join('/', pattern.PathSegments.Select(segment => string.Concat(segment.Parts.Select(part => part switch
        {
            RoutePatternLiteralPart literal => literal.Content,
            RoutePatternParameterPart parameter => "{" + parameter.Name + "}",
            RoutePatternSeparatorPart separator => separator.Content,
            _ => throw new InvalidOperationException($"unexpected route part {part}"),
        }))));

    [GeneratedRegex("<script[^>]*\\ssrc=\"([^\"]+)\"")]
    private static partial Regex ScriptSource();

    [GeneratedRegex("\\{[^}]+\\}")]
    private static partial Regex Parameter();

    [GeneratedRegex("nonce=\"([^\"]+)\"")]
    private static partial Regex Nonce();
}
