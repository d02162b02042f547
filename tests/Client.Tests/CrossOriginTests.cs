using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Enrichment.Client.Tests;

/// <summary>Issue 10, item 4: other sites can neither frame the console nor post events with a simple cross-site request.</summary>
[Collection(ClientApiCollection.Name)]
[Trait("Category", "Cluster")]
public sealed class CrossOriginTests(ClientApiFixture fixture)
{
    private static string Event(string id) => $$"""{"eventId":"e-{{id}}","productId":"{{id}}","version":1,"name":"n"}""";

    [Theory]
    [InlineData("/")]
    [InlineData("/index.html")]
    [InlineData("/api/products/nothing-here")]
    [InlineData("/api/models")]
    public async Task Every_response_forbids_framing_and_sniffing(string path)
    {
        var response = await fixture.Http.GetAsync(path);

        var csp = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("frame-ancestors 'none'", csp);
        Assert.Contains("default-src 'self'", csp);
        Assert.Equal("DENY", Assert.Single(response.Headers.GetValues("X-Frame-Options")));
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("no-referrer", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("multipart/form-data; boundary=x")]
    [InlineData(null)]
    public async Task Bodies_a_browser_may_send_cross_site_are_refused_and_create_nothing(string? contentType)
    {
        var id = $"xsite-{Guid.NewGuid():N}"[..20];
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(Event(id)));
        if (contentType is not null)
        {
            content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }

        var response = await fixture.Http.PostAsync("/api/events", content);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.NotFound, (await fixture.Http.GetAsync($"/api/products/{id}")).StatusCode);
    }

    [Fact]
    public async Task A_configured_ingest_token_is_required_to_post_events_and_the_admin_token_is_not_it()
    {
        const string token = "ingest-token-1b2c";
        var (app, http) = await fixture.StartAppAsync(new Dictionary<string, string?> { ["Ingest:Token"] = token });
        await using var _ = app;
        using var __ = http;
        var id = $"tok-{Guid.NewGuid():N}"[..20];

        async Task<HttpStatusCode> PostAsync(string? header, string? value)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/api/events") { Content = new StringContent(Event(id), Encoding.UTF8, "application/json") };
            if (header is not null)
            {
                request.Headers.TryAddWithoutValidation(header, value);
            }
            return (await http.SendAsync(request)).StatusCode;
        }

        Assert.Equal(HttpStatusCode.Unauthorized, await PostAsync(null, null));
        Assert.Equal(HttpStatusCode.Unauthorized, await PostAsync("X-Ingest-Token", "guess"));
        Assert.Equal(HttpStatusCode.Unauthorized, await PostAsync("X-Ingest-Token", ClientApiFixture.AdminToken));
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync($"/api/products/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, await PostAsync("X-Ingest-Token", token));
        Assert.Equal(HttpStatusCode.OK, await PostAsync("Authorization", $"Bearer {token}"));
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"/api/products/{id}")).StatusCode);
    }
}
