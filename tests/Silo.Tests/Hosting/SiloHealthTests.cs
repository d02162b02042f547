using System.Net;
using Enrichment.TestSupport;

namespace Enrichment.Silo.Tests.Hosting;

/// <summary>Issue 10, item 10 (silo side): readiness means joined the cluster and, on an accelerator silo, a model loaded.</summary>
[Trait("Category", "Processes")]
public sealed class SiloHealthTests
{
    // A hang guard: the start waits for the silo's "Silo ready" line and fails at once if it exits, so a busy machine
    // only makes it later; this bounds a silo that hangs without exiting.
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(5);

    private static string[] EmbeddedSilo(int healthPort, params string[] extra)
    {
        var siloPort = LoopbackPorts.Free().ToString();
        return
        [
            "--silo-port", siloPort, "--primary-silo-port", siloPort, "--gateway-port", LoopbackPorts.Free().ToString(),
            "--health-port", healthPort.ToString(), "--cluster-id", $"health-{Guid.NewGuid():N}", .. extra,
        ];
    }

    [Fact]
    public async Task A_silo_without_an_accelerator_is_live_and_ready_once_it_joined()
    {
        var port = LoopbackPorts.Free();
        await using var silo = await RunningSilo.StartAsync(Deadline, EmbeddedSilo(port));
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };

        var live = await http.GetAsync("/healthz/live");
        var ready = await http.GetAsync("/healthz/ready");

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("Healthy", await ready.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task An_accelerator_silo_with_no_model_is_live_but_not_ready_and_says_why()
    {
        var port = LoopbackPorts.Free();
        await using var silo = await RunningSilo.StartAsync(Deadline, EmbeddedSilo(port, "--accelerator", "cpu"));
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };

        var live = await http.GetAsync("/healthz/live");
        var ready = await http.GetAsync("/healthz/ready");

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Contains("no model version loaded", await ready.Content.ReadAsStringAsync());
    }
}
