using System.Diagnostics;
using Enrichment.Client.Ingest;
using Enrichment.TestSupport;

namespace Enrichment.Client.Tests;

/// <summary>
/// Issue 22, item 7: the ingest CLI hung opening a FIFO named as an image inside the folder (opening a FIFO for reading
/// waits for a writer), and then ignored SIGTERM. Only regular files are read as images; the CLI stops on SIGTERM.
/// </summary>
[Collection(ClientApiCollection.Name)]
[Trait("Category", "Processes")]
public sealed class IngestCliSpecialFileTests(ClientApiFixture fixture) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("enrichment-fifo-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task A_fifo_named_as_an_image_is_rejected_not_waited_on_in_process_or_by_the_cli()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        await MkfifoAsync(Path.Combine(_dir, "fifo.jpg"));
        var ndjson = Path.Combine(_dir, "events.ndjson");
        await File.WriteAllLinesAsync(ndjson,
        [
            $$"""{"eventId":"f","productId":"fifo-{{run}}","version":1,"name":"Fifo","imagePath":"fifo.jpg"}""",
            $$"""{"eventId":"g","productId":"after-fifo-{{run}}","version":1,"name":"After the fifo"}""",
        ]);

        // In process: the event is refused with a reason, at once, and the next one goes in.
        var results = new List<IngestResult>();
        var ingest = Task.Run(() => fixture.Ingestor.IngestAsync(IngestSources.From(null, null, ndjson, null)!, r => { lock (results) results.Add(r); }));
        var finished = await Task.WhenAny(ingest, Task.Delay(TimeSpan.FromSeconds(20))) == ingest;
        if (!finished)
        {
            await ReleaseReaderAsync(Path.Combine(_dir, "fifo.jpg")); // let the stuck reader go before failing
        }
        Assert.True(finished, "ingest waited on a FIFO named as an image");
        var fifo = results.Single(r => r.ProductId == $"fifo-{run}");
        Assert.Equal(IngestStatus.Rejected, fifo.Status);
        Assert.Contains("not a regular file", fifo.Reason);
        Assert.Equal(IngestStatus.Applied, results.Single(r => r.ProductId == $"after-fifo-{run}").Status);

        // The CLI process itself: the same file ends (exit 0: rejected events are not failures)...
        using (var cli = StartCli("--ndjson", ndjson))
        {
            var ended = cli.WaitForExit(TimeSpan.FromSeconds(60));
            if (!ended)
            {
                cli.Kill(entireProcessTree: true);
            }
            Assert.True(ended, "the ingest CLI did not finish with a FIFO in its image folder");
            Assert.Equal(0, cli.ExitCode);
        }
    }

    /// <summary>
    /// SIGTERM stops a CLI that waits on input which never comes (a FIFO that is never written): it used to be ignored
    /// (the host's lifetime only asks to stop, and a read the kernel holds does not see a token). Exit status non-zero:
    /// the input was not finished.
    /// </summary>
    [Fact]
    public async Task The_ingest_cli_stops_on_sigterm_while_waiting_for_input()
    {
        // A CLI waiting on input that never ends stops on SIGTERM.
        await MkfifoAsync(Path.Combine(_dir, "endless.ndjson"));
        using var waiting = StartCli("--ndjson", Path.Combine(_dir, "endless.ndjson"));
        // A writer that never writes or closes (opening it waits for the CLI to open the other end): the CLI is left
        // waiting for lines.
        var open = Task.Run(() => new FileStream(Path.Combine(_dir, "endless.ndjson"), FileMode.Open, FileAccess.Write));
        Assert.True(open.Wait(TimeSpan.FromSeconds(60)), "the CLI never opened its input");
        await using var writer = open.Result;
        await Task.Delay(TimeSpan.FromSeconds(3));
        if (waiting.HasExited)
        {
            Assert.Fail($"the CLI ended early: {await waiting.StandardError.ReadToEndAsync()}");
        }
        Assert.Equal(0, Kill(waiting.Id, "TERM"));
        var stopped = waiting.WaitForExit(TimeSpan.FromSeconds(20));
        if (!stopped)
        {
            waiting.Kill(entireProcessTree: true);
            Assert.Fail($"the ingest CLI ignored SIGTERM: {await waiting.StandardError.ReadToEndAsync()}");
        }
        Assert.NotEqual(0, waiting.ExitCode);
    }

    private Process StartCli(params string[] args)
    {
        var dll = Path.Combine(RepoPaths.Root, "src", "Client", "bin", "Debug", "net10.0", "Enrichment.Client.dll");
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(dll);
        psi.ArgumentList.Add("ingest");
        foreach (var arg in args)
        {
            psi.ArgumentList.Add(arg);
        }
        psi.ArgumentList.Add("--cluster-id");
        psi.ArgumentList.Add(fixture.Cluster.Options.ClusterId);
        foreach (var silo in fixture.Cluster.Silos)
        {
            psi.ArgumentList.Add("--gateway-port");
            psi.ArgumentList.Add(silo.GatewayAddress.Endpoint.Port.ToString());
        }
        psi.Environment["ENRICHMENT_Cluster__ServiceId"] = fixture.Cluster.Options.ServiceId;
        var process = Process.Start(psi)!;
        // Drained so a full pipe never blocks the CLI.
        process.OutputDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        return process;
    }

    private static async Task MkfifoAsync(string path)
    {
        using var mkfifo = Process.Start("mkfifo", [path])!;
        await mkfifo.WaitForExitAsync();
        Assert.Equal(0, mkfifo.ExitCode);
    }

    /// <summary>Opens <paramref name="fifo"/> for writing for at most 2 s, which frees a reader stuck opening it.</summary>
    private static async Task ReleaseReaderAsync(string fifo)
    {
        using var release = Process.Start("timeout", ["2", "sh", "-c", $"exec 3>'{fifo}'"])!;
        await release.WaitForExitAsync();
    }

    private static int Kill(int pid, string signal)
    {
        using var kill = Process.Start("kill", [$"-{signal}", pid.ToString()])!;
        kill.WaitForExit();
        return kill.ExitCode;
    }
}
