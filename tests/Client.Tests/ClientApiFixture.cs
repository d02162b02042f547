using Enrichment.Client.Hosting;
using Enrichment.Client.Ingest;
using Enrichment.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.TestingHost;

namespace Enrichment.Client.Tests;

/// <summary>
/// A real two-silo cluster and the real HTTP API host connected to it through the silos' gateways,
/// listening on a free loopback port.
/// </summary>
public sealed class ClientApiFixture : IAsyncLifetime
{
    public TestCluster Cluster { get; private set; } = null!;
    public WebApplication App { get; private set; } = null!;
    public HttpClient Http { get; private set; } = null!;
    public CatalogIngestor Ingestor => App.Services.GetRequiredService<CatalogIngestor>();
    public CapturedLogs Logs { get; } = new();
    private Dictionary<string, string?> _config = new();

    private readonly string _work = Directory.CreateTempSubdirectory("enrichment-client-tests-").FullName;

    public const string AdminToken = "test-admin-token-7f3c";

    public async Task InitializeAsync()
    {
        // Secondary_1 declares an accelerator and serves a tiny real checkpoint; the HTTP host connects like a
        // real client would, over TCP to the silos' gateways.
        var checkpoint = TinyModel.SaveCheckpoint(Path.Combine(_work, "checkpoint"));
        Cluster = ServingCluster.BuildOverTcp(silos: 2, acceleratorSilos: "Secondary_1", checkpoint, Path.Combine(_work, "cache"));
        await Cluster.DeployAsync();

        var config = new Dictionary<string, string?>
        {
            ["Cluster:ClusterId"] = Cluster.Options.ClusterId,
            ["Cluster:ServiceId"] = Cluster.Options.ServiceId,
            ["Ingest:MaxImageBytes"] = "100000",
            ["Ingest:MaxRequestBytes"] = "8000000",
            ["Admin:Token"] = AdminToken,
        };
        var gateways = Cluster.Silos.Select(s => s.GatewayAddress.Endpoint.Port).ToArray();
        for (var i = 0; i < gateways.Length; i++)
        {
            config[$"Cluster:GatewayPorts:{i}"] = gateways[i].ToString();
        }
        _config = config;
        (App, Http) = await StartAppAsync(new Dictionary<string, string?>(), Logs);
    }

    /// <summary>Another HTTP host on the same cluster with extra settings (an ingest token, say); the caller disposes it.</summary>
    public async Task<(WebApplication App, HttpClient Http)> StartAppAsync(IDictionary<string, string?> extra, CapturedLogs? logs = null,
        Action<WebApplicationBuilder>? configure = null)
    {
        var config = new Dictionary<string, string?>(_config);
        foreach (var (key, value) in extra)
        {
            config[key] = value;
        }
        var url = $"http://127.0.0.1:{LoopbackPorts.Free()}";
        var app = ClientApp.Create(config, url, configure: builder =>
        {
            if (logs is not null)
            {
                builder.Logging.AddProvider(logs);
            }
            configure?.Invoke(builder);
        });
        try
        {
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
        return (app, new HttpClient { BaseAddress = new Uri(url) });
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
        Directory.Delete(_work, recursive: true);
    }
}

[CollectionDefinition(Name)]
public sealed class ClientApiCollection : ICollectionFixture<ClientApiFixture>
{
    public const string Name = "HTTP API on a two-silo cluster";
}
