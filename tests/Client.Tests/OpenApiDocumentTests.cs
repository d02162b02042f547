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
        // Only the description's own plumbing may stay out of it.
        Assert.All(hidden, path => Assert.Matches("^/(openapi|scalar)(/|$)", path));
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

    [GeneratedRegex("nonce=\"([^\"]+)\"")]
    private static partial Regex Nonce();
}
