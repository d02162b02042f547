using System.Reflection;
using Enrichment.Deploy.Tests.LocalCluster;

namespace Enrichment.Deploy.Tests;

/// <summary>deploy/local-cluster.sh brings a real cluster up for a developer, and takes all of it down on a signal.</summary>
public sealed class LocalClusterScriptTests
{
    [Fact]
    public async Task The_script_starts_a_cluster_that_answers_and_stops_it_on_SIGTERM()
    {
        var configuration = typeof(LocalClusterScriptTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var logs = Repo.PathOf("artifacts/local-cluster-script-test");
        Directory.CreateDirectory(logs);
        await using var script = HostProcess.StartProgram("script", "bash", [Repo.PathOf("deploy/local-cluster.sh"), "--configuration", configuration], logs,
            new Dictionary<string, string> { ["LOCAL_CLUSTER_MODEL"] = "", ["LOCAL_CLUSTER_LOGS"] = logs, ["LOCAL_CLUSTER_TIMEOUT"] = "300" });

        await script.WaitForLineAsync(@"cluster up: console http://127\.0\.0\.1:\d+/", TimeSpan.FromMinutes(3));
        var api = script.Find(@"cluster up: console (http://127\.0\.0\.1:\d+)/")!;
        using var http = new HttpClient { BaseAddress = new Uri(api), Timeout = TimeSpan.FromSeconds(10) };
        Assert.True((await http.GetAsync("/healthz/ready")).IsSuccessStatusCode, "the cluster it started is not ready");

        await script.TerminateAsync();
        using var bound = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await script.WaitForExitAsync(bound.Token);
        await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync("/healthz"));
    }
}
