using System.Diagnostics;
using System.Reflection;
using Enrichment.TestSupport;

namespace Enrichment.Deploy.Tests;

/// <summary>
/// Issue 21: deploy/demo.sh starts the silo with its health and metrics ports, and what a person needs to use the
/// demo (console address, both tokens, the API reference, the health and metrics URLs) is the last thing it prints,
/// after short example answers rather than pages of JSON.
/// </summary>
[Trait("Category", "Processes")]
public sealed class DemoScriptTests : IDisposable
{
    private readonly string _logs = Directory.CreateTempSubdirectory("enrichment-demo-test-").FullName;

    public void Dispose() => Directory.Delete(_logs, recursive: true);

    [Fact]
    public async Task The_demo_prints_the_console_address_and_tokens_last_and_starts_the_silo_with_health_and_metrics()
    {
        var configuration = typeof(DemoScriptTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        int api = LoopbackPorts.Free(), metrics = LoopbackPorts.Free(), health = LoopbackPorts.Free(), silo = LoopbackPorts.Free(), gateway = LoopbackPorts.Free();
        const string AdminToken = "demo-admin-4Kq9", IngestToken = "demo-ingest-7Zp2";
        var psi = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(Repo.PathOf("deploy/demo.sh"));
        // Nothing is built on this test's clock: this project references the silo and the client, so their binaries in
        // this configuration exist before any test starts.
        foreach (var (key, value) in new Dictionary<string, string>
        {
            ["DEMO_BUILD"] = "0", ["DEMO_CONFIGURATION"] = configuration, ["DEMO_EXIT_AFTER_QUERIES"] = "1", ["DEMO_LOGS"] = _logs,
            ["DEMO_PORT"] = $"{api}", ["DEMO_METRICS_PORT"] = $"{metrics}", ["DEMO_HEALTH_PORT"] = $"{health}",
            ["DEMO_SILO_PORT"] = $"{silo}", ["DEMO_GATEWAY_PORT"] = $"{gateway}",
            ["ENRICHMENT_ADMIN_TOKEN"] = AdminToken, ["ENRICHMENT_INGEST_TOKEN"] = IngestToken,
        })
        {
            psi.Environment[key] = value;
        }
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var hang = new CancellationTokenSource(TimeSpan.FromMinutes(8)); // a hang guard; the script has its own limits
        try
        {
            await process.WaitForExitAsync(hang.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"demo.sh did not end within 8 minutes:\n{await stdout}");
        }
        var output = await stdout;
        Assert.True(process.ExitCode == 0, $"demo.sh exited {process.ExitCode}:\n{output}\n{await stderr}");

        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd()).ToList();
        var start = lines.FindIndex(l => l == "Enrichment.Orleans demo is up");
        Assert.True(start > 0, $"no summary in:\n{output}");
        var summary = lines[(start - 1)..];
        // The summary is framed by rules and ends the output: nothing is printed after it.
        Assert.Matches("^=+$", summary[0]);
        Assert.Matches("^=+$", summary[^1]);
        var block = string.Join('\n', summary);
        Assert.Contains($"Admin console:   http://127.0.0.1:{api}/", block);
        Assert.Contains($"Admin token:     {AdminToken}", block);
        Assert.Contains($"Ingest token:    {IngestToken}", block);
        Assert.Contains($"http://127.0.0.1:{api}/scalar/", block);
        Assert.Contains($"http://127.0.0.1:{api}/dashboard/", block);
        Assert.Contains($"http://127.0.0.1:{metrics}/metrics", block);
        Assert.Contains($"http://127.0.0.1:{health}/healthz/ready", block);
        // Before it, a taste of each answer: no line as long as a page of JSON.
        Assert.All(lines[..(start - 1)], line => Assert.True(line.Length <= 320, $"a {line.Length}-character line before the summary"));
        Assert.Contains(lines[..(start - 1)], l => l.StartsWith("Ingested ", StringComparison.Ordinal));

        // The silo really served its health port (the script waited on it before starting the client, and checks every
        // address in the summary, the silo's metrics included, before printing it).
        var siloLog = await File.ReadAllTextAsync(Path.Combine(_logs, "silo.log"));
        Assert.Contains($"http://127.0.0.1:{health}/healthz/live", siloLog);
    }
}
