using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Enrichment.TestSupport;

namespace Enrichment.Client.Tests;

/// <summary>
/// The Orleans Dashboard, served by the client at /dashboard from the two real silos' statistics: only with the admin
/// token (as a browser sends it, HTTP Basic, or the API's header), never the trace stream, and outside the API's
/// OpenAPI description.
/// </summary>
[Collection(ClientApiCollection.Name)]
[Trait("Category", "Cluster")]
public sealed class DashboardTests(ClientApiFixture fixture)
{
    private static AuthenticationHeaderValue Basic(string user, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));

    [Theory]
    [InlineData("/dashboard/")]
    [InlineData("/dashboard/index.min.js")]
    [InlineData("/dashboard/DashboardCounters")]
    [InlineData("/dashboard/GrainState?grainId=1&grainType=x")]
    public async Task Without_the_admin_token_every_dashboard_path_asks_for_it(string path)
    {
        foreach (var presented in new AuthenticationHeaderValue?[] { null, Basic("admin", "wrong"), Basic("admin", ClientApiFixture.AdminToken[..^1]),
                     Basic(ClientApiFixture.AdminToken, ""), new("Bearer", "wrong") })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Authorization = presented;
            using var response = await fixture.Http.SendAsync(request);
            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{path} with {presented}: {(int)response.StatusCode}");
            Assert.StartsWith("Basic ", response.Headers.WwwAuthenticate.ToString());
        }
    }

    [Fact]
    public async Task With_the_admin_token_a_browser_gets_the_pages_and_the_silos_live_statistics()
    {
        using var page = new HttpRequestMessage(HttpMethod.Get, "/dashboard/");
        page.Headers.Authorization = Basic("anyone", ClientApiFixture.AdminToken);
        using var html = await fixture.Http.SendAsync(page);
        Assert.Equal(HttpStatusCode.OK, html.StatusCode);
        Assert.Contains("index.min.js", await html.Content.ReadAsStringAsync());
        Assert.Contains("style-src 'self' 'unsafe-inline'", html.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Equal("DENY", html.Headers.GetValues("X-Frame-Options").Single());

        // The numbers come from the silos' dashboard grains: both silos of the fixture's cluster are there, active.
        using var counters = new HttpRequestMessage(HttpMethod.Get, "/dashboard/DashboardCounters");
        counters.Headers.Add("X-Admin-Token", ClientApiFixture.AdminToken);
        var body = await Eventually.Get(async () =>
        {
            using var response = await fixture.Http.SendAsync(Clone(counters));
            return response.IsSuccessStatusCode ? await response.Content.ReadAsStringAsync() : $"{(int)response.StatusCode}";
        }, b => b.StartsWith('{') && ActiveSilos(b) == fixture.Cluster.Silos.Count, TimeSpan.FromSeconds(60), "the dashboard's counters of every silo");
        Assert.Equal(fixture.Cluster.Silos.Count, ActiveSilos(body));
    }

    [Fact]
    public async Task The_trace_stream_is_off_so_no_log_line_leaves_a_silo_through_the_dashboard()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/dashboard/Trace");
        request.Headers.Add("X-Admin-Token", ClientApiFixture.AdminToken);
        using var response = await fixture.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.False(response.IsSuccessStatusCode, $"trace answered {(int)response.StatusCode}");
    }

    private static int ActiveSilos(string countersJson)
    {
        using var document = JsonDocument.Parse(countersJson);
        return document.RootElement.GetProperty("hosts").EnumerateArray().Count(h => h.GetProperty("status").GetString() == "Active");
    }

    private static HttpRequestMessage Clone(HttpRequestMessage request)
    {
        var copy = new HttpRequestMessage(request.Method, request.RequestUri);
        foreach (var (name, values) in request.Headers) copy.Headers.TryAddWithoutValidation(name, values);
        return copy;
    }
}
