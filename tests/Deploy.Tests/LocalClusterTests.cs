using System.Diagnostics;
using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace Enrichment.Deploy.Tests;

/// <summary>
/// Runs deploy/local-cluster.sh once for the class: throwaway PostgreSQL, two silo processes (one declaring the cpu
/// accelerator), the client API, ingest of the 400-product sample with one silo SIGKILLed mid-ingest, failed
/// events retried by re-running ingest, then every product checked over HTTP. All on 127.0.0.1; the script stops
/// everything it started on exit, and bounds itself with LOCAL_CLUSTER_TIMEOUT.
/// </summary>
public sealed class LocalClusterRun : IAsyncLifetime
{
    /// <summary>The script's own limit; the test waits a little longer so the script's cleanup always runs.</summary>
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromMinutes(6);

    public int ExitCode { get; private set; }
    public string Output { get; private set; } = "";
    public TimeSpan Elapsed { get; private set; }
    public string? Summary => Regex.Matches(Output, @"^local-cluster: lost .*$", RegexOptions.Multiline).LastOrDefault()?.Value;

    public async Task InitializeAsync()
    {
        // The binaries of the configuration this test was built in: its project references have just built them,
        // so the run never picks up stale ones.
        var configuration = typeof(LocalClusterRun).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var logs = Path.Combine(Repo.Root, "artifacts", "local-cluster-test");
        var psi = new ProcessStartInfo("bash")
        {
            WorkingDirectory = Repo.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { Repo.PathOf("deploy/local-cluster.sh"), "--configuration", configuration })
        {
            psi.ArgumentList.Add(arg);
        }
        // No model: this is about durability of accepted events, not enrichment (covered by Grains.Tests), and a
        // ResNet forward pass per product would only slow a small machine down.
        psi.Environment["LOCAL_CLUSTER_MODEL"] = "";
        psi.Environment["LOCAL_CLUSTER_LOGS"] = logs;
        psi.Environment["LOCAL_CLUSTER_TIMEOUT"] = ((int)ScriptTimeout.TotalSeconds).ToString();

        var output = new StringBuilder();
        using var process = new Process { StartInfo = psi };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        var stopwatch = Stopwatch.StartNew();
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var cts = new CancellationTokenSource(ScriptTimeout + TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            // The script's own timeout should have fired; make sure nothing keeps running.
            try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            await process.WaitForExitAsync();
        }
        process.WaitForExit();
        Elapsed = stopwatch.Elapsed;
        ExitCode = process.ExitCode;
        lock (output) Output = output.ToString();
    }

    public Task DisposeAsync() => Task.CompletedTask;
}

public sealed class LocalClusterTests(LocalClusterRun run, ITestOutputHelper log) : IClassFixture<LocalClusterRun>
{
    private const int SampleProducts = 400;

    [Fact]
    public void No_accepted_product_is_lost_when_a_silo_is_killed_mid_ingest()
    {
        log.WriteLine($"deploy/local-cluster.sh exited {run.ExitCode} after {run.Elapsed.TotalSeconds:F0}s\n{run.Output}");
        Assert.True(run.Summary is not null, $"no summary line; exit {run.ExitCode}:\n{Tail(run.Output)}");
        Assert.Contains($"lost 0 of {SampleProducts} products", run.Summary);
        Assert.Matches(@"SIGKILLed silo 2 \(pid \d+\) with \d+ products stored", run.Output);
        Assert.Matches(@"ingest run \d+ exited 0: Done: applied \d+, duplicate \d+, stale \d+, conflict 0, rejected 0, failed 0", run.Output);
        Assert.Contains("checked 400 products over HTTP: 0 missing", run.Output);
        Assert.Matches(@"queries during run ok=[1-9]\d*", run.Summary);
    }

    [Fact]
    public void Search_finds_every_product_after_the_kill_and_the_script_exits_zero()
    {
        log.WriteLine(run.Summary ?? "(no summary)");
        Assert.True(run.Summary is not null, $"no summary line; exit {run.ExitCode}:\n{Tail(run.Output)}");
        Assert.Contains("index missing 0,", run.Summary);
        Assert.True(run.ExitCode == 0, $"deploy/local-cluster.sh exited {run.ExitCode}:\n{Tail(run.Output)}");
    }

    private static string Tail(string text, int lines = 60) => string.Join('\n', text.Split('\n').TakeLast(lines));
}
