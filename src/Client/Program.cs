using System.Runtime.InteropServices;
using System.CommandLine;
using Enrichment.Client.Hosting;
using Enrichment.Client.Ingest;

var common = new ClientCommandLine();
var sources = new IngestSourceOptions();
var urls = new Option<string>("--urls") { Description = "Where the HTTP API listens", DefaultValueFactory = _ => "http://127.0.0.1:5080" };

const int UsageError = 2; // a wrong command line or a missing input; 1 stays "ran, and some events failed"

var serve = new Command("serve", "Serve the HTTP API (and optionally ingest a catalogue in the background)");
common.AddTo(serve, tokens: true);
serve.Options.Add(urls);
sources.AddTo(serve);
serve.SetAction(async (result, ct) =>
{
    if (sources.Missing(result) is { } missing)
    {
        Console.Error.WriteLine($"serve: {missing}");
        return UsageError;
    }
    await using var app = ClientApp.Create(common.ToConfiguration(result), result.GetValue(urls)!, sources.Read(result));
    await app.RunAsync(ct);
    return 0;
});

var ingest = new Command("ingest", "Ingest a catalogue CSV or an NDJSON file of events, then exit");
common.AddTo(ingest, tokens: false);
sources.AddTo(ingest);
ingest.SetAction(async (result, ct) =>
{
    if (sources.Missing(result) is { } missing)
    {
        Console.Error.WriteLine($"ingest: {missing}");
        return UsageError;
    }
    var named = sources.Read(result);
    if (named is null)
    {
        Console.Error.WriteLine("ingest: name what to ingest: --catalog styles.csv [--images dir] or --ndjson events.ndjson");
        return UsageError;
    }
    var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = AppContext.BaseDirectory });
    builder.AddEnrichmentClient(common.ToConfiguration(result));
    using var host = builder.Build();
    await host.StartAsync(ct);
    // SIGTERM and Ctrl+C reach the host's lifetime, which only asks the application to stop: the ingest must listen.
    // Cancelled from the thread pool, not inline in the signal handler: the ingest's unwinding (which stops the host,
    // and so unregisters that handler) must not run on the handler's own thread.
    using var stopping = new CancellationTokenSource();
    using var onSignal = ct.UnsafeRegister(static s => ThreadPool.QueueUserWorkItem(c => c.Cancel(), (CancellationTokenSource)s!, false), stopping);
    using var onStop = host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping
        .UnsafeRegister(static s => ThreadPool.QueueUserWorkItem(c => c.Cancel(), (CancellationTokenSource)s!, false), stopping);
    // And the CLI's own: whatever else handles SIGTERM, the ingest stops, and if something it waits on cannot be
    // cancelled (a read the kernel holds), the process still ends 10 s later with 143.
    using var onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
    {
        context.Cancel = true;
        ThreadPool.QueueUserWorkItem(_ =>
        {
            try
            {
                stopping.Cancel();
            }
            catch (ObjectDisposedException)
            {
                return; // the ingest had already ended
            }
            Thread.Sleep(TimeSpan.FromSeconds(10));
            Console.Error.WriteLine("Stopped on SIGTERM while waiting on input that could not be cancelled.");
            Environment.Exit(143);
        });
    });
    try
    {
        var tally = await IngestCommand.RunAsync(host.Services.GetRequiredService<CatalogIngestor>(), named, stopping.Token);
        return tally[IngestStatus.Failed] > 0 ? 1 : 0;
    }
    catch (OperationCanceledException) when (stopping.IsCancellationRequested)
    {
        Console.Error.WriteLine("Stopped before the end of the input: events already acknowledged are stored; re-run the same ingest to finish (it is idempotent).");
        return 143;
    }
    finally
    {
        await host.StopAsync(CancellationToken.None);
    }
});

var root = new RootCommand("Enrichment.Orleans client: HTTP API and catalogue ingest");
root.Subcommands.Add(serve);
root.Subcommands.Add(ingest);
var parsed = root.Parse(args);
if (parsed.Errors.Count > 0 && parsed.Action is not System.CommandLine.Help.HelpAction)
{
    // One line per mistake and exit 2, as for a missing input; --help says the rest.
    foreach (var error in parsed.Errors)
    {
        Console.Error.WriteLine(string.Join(' ', error.Message.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)));
    }
    Console.Error.WriteLine("--help lists the commands and their options");
    return UsageError;
}
return await parsed.InvokeAsync();
