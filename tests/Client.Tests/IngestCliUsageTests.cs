using System.Diagnostics;
using Enrichment.TestSupport;

namespace Enrichment.Client.Tests;

/// <summary>
/// Issue 21: the client CLI answers a missing file or folder with one line on stderr and exit 2 (no stack trace), in
/// `ingest` and `serve` alike, before it connects to anything; each command's help lists only the options it uses.
/// </summary>
[Trait("Category", "Processes")]
public sealed class IngestCliUsageTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("enrichment-cli-usage-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("ingest --catalog {dir}/nope.csv", "ingest: catalogue file")]
    [InlineData("ingest --ndjson {dir}/nope.ndjson", "ingest: NDJSON file")]
    [InlineData("ingest --catalog {styles} --images {dir}/no-images", "ingest: image folder")]
    [InlineData("serve --catalog {dir}/nope.csv --urls http://127.0.0.1:1", "serve: catalogue file")]
    public async Task A_missing_file_or_folder_is_one_line_on_stderr_and_exit_2(string args, string named)
    {
        var run = await RunAsync(args.Replace("{dir}", _dir).Replace("{styles}", RepoPaths.SampleCatalog).Split(' '));

        Assert.Equal(2, run.ExitCode);
        var line = Assert.Single(run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith(named, line);
        Assert.EndsWith("not found", line);
        Assert.DoesNotContain("   at ", run.Stdout + run.Stderr);
    }

    [Fact]
    public async Task Ingest_help_lists_only_the_options_ingest_uses()
    {
        var ingest = await RunAsync(["ingest", "--help"]);
        var serve = await RunAsync(["serve", "--help"]);

        Assert.Equal(0, ingest.ExitCode);
        Assert.Contains("--catalog", ingest.Stdout);
        Assert.Contains("--postgres", ingest.Stdout);
        Assert.DoesNotContain("--admin-token", ingest.Stdout);
        Assert.DoesNotContain("--ingest-token", ingest.Stdout);
        Assert.DoesNotContain("--urls", ingest.Stdout);
        Assert.Contains("--admin-token", serve.Stdout);
        Assert.Contains("--ingest-token", serve.Stdout);
        Assert.Contains("--urls", serve.Stdout);
    }

    [Fact]
    public async Task An_option_a_command_does_not_take_is_a_usage_error()
    {
        var run = await RunAsync(["ingest", "--admin-token", "x", "--ndjson", "events.ndjson"]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--admin-token", run.Stderr);
        Assert.DoesNotContain("   at ", run.Stderr);
    }

    private sealed record Run(int ExitCode, string Stdout, string Stderr);

    private static async Task<Run> RunAsync(string[] args)
    {
        var dll = Path.Combine(RepoPaths.Root, "src", "Client", "bin", "Debug", "net10.0", "Enrichment.Client.dll");
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            psi.ArgumentList.Add(arg);
        }
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"the client CLI ({string.Join(' ', args)}) did not end within 60 s");
        }
        return new Run(process.ExitCode, await stdout, await stderr);
    }
}
