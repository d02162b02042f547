using System.Reflection;
using Enrichment.Deploy.Tests.LocalCluster;

namespace Enrichment.Deploy.Tests;

/// <summary>deploy/local-cluster.sh brings a real cluster up for a developer, and takes all of it down on a signal.</summary>
[Trait("Category", "Processes")]
public sealed class LocalClusterScriptTests
{
    [Fact]
    public async Task The_script_starts_a_cluster_that_answers_and_stops_it_on_SIGTERM()
    {
        var configuration = typeof(LocalClusterScriptTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        // Nothing is built on this test's clock: this project references the silo and the client, so their binaries in
        // this configuration exist before any test starts, and the script reuses them (it builds only what is missing).
        foreach (var project in new[] { "Silo", "Client" })
        {
            var dll = Repo.PathOf($"src/{project}/bin/{configuration}/net10.0/Enrichment.{project}.dll");
            Assert.True(File.Exists(dll), $"{dll} is missing: build the solution ({configuration}) before running this test");
        }
        var logs = Repo.PathOf("artifacts/local-cluster-script-test");
        Directory.CreateDirectory(logs);
        await using var script = HostProcess.StartProgram("script", "bash", [Repo.PathOf("deploy/local-cluster.sh"), "--configuration", configuration], logs,
            new Dictionary<string, string> { ["LOCAL_CLUSTER_MODEL"] = "", ["LOCAL_CLUSTER_LOGS"] = logs, ["LOCAL_CLUSTER_TIMEOUT"] = "900",
                // Each process gets as long as it needs to report ready, within this test's hang guard.
                ["LOCAL_CLUSTER_READY_TIMEOUT"] = "240" });

        // Readiness, not a budget: the script waits for each of its processes to say it is ready and exits (failing
        // this wait at once) when one dies or misses its own stage limit; this bound only catches a script that hangs.
        await script.WaitForLineAsync(@"cluster up: console http://127\.0\.0\.1:\d+/", TimeSpan.FromMinutes(10));
        var api = script.Find(@"cluster up: console (http://127\.0\.0\.1:\d+)/")!;
        using var http = new HttpClient { BaseAddress = new Uri(api), Timeout = TimeSpan.FromSeconds(10) };
        Assert.True((await http.GetAsync("/healthz/ready")).IsSuccessStatusCode, "the cluster it started is not ready");

        await script.TerminateAsync();
        using var bound = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await script.WaitForExitAsync(bound.Token);
        await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync("/healthz"));
    }
}
