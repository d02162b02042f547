using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Enrichment.Client.Hosting;
using Enrichment.TestSupport;
using Microsoft.AspNetCore.Builder;
using Orleans.TestingHost;

namespace Enrichment.Client.Tests;

/// <summary>Issue 10, item 8: with no accelerator silo up, training views say so with a 503, not a 500.</summary>
[Trait("Category", "Cluster")]
public sealed class NoAcceleratorApiTests : IAsyncLifetime
{
    private readonly string _work = Directory.CreateTempSubdirectory("enrichment-no-accelerator-").FullName;
    private TestCluster _cluster = null!;
    private WebApplication _app = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _cluster = ServingCluster.BuildOverTcp(silos: 1, acceleratorSilos: "", checkpoint: null, Path.Combine(_work, "cache"));
        await _cluster.DeployAsync();
        var config = new Dictionary<string, string?>
        {
            ["Cluster:ClusterId"] = _cluster.Options.ClusterId,
            ["Cluster:ServiceId"] = _cluster.Options.ServiceId,
            ["Cluster:GatewayPorts:0"] = _cluster.Silos[0].GatewayAddress.Endpoint.Port.ToString(),
        };
        var url = $"http://127.0.0.1:{LoopbackPorts.Free()}";
        _app = ClientApp.Create(config, url);
        await _app.StartAsync();
        _http = new HttpClient { BaseAddress = new Uri(url) };
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        await _cluster.StopAllSilosAsync();
        await _cluster.DisposeAsync();
        Directory.Delete(_work, recursive: true);
    }

    [Theory]
    [InlineData("/api/training")]
    [InlineData("/api/training/stream")]
    public async Task Training_views_answer_503_with_retry_after_while_no_accelerator_silo_is_up(string path)
    {
        var response = await _http.GetAsync(path, HttpCompletionOption.ResponseHeadersRead);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.NotNull(response.Headers.RetryAfter);
        Assert.Contains("accelerator", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
    }
}
