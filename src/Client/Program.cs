using System.CommandLine;
using Enrichment.Client.Hosting;
using Enrichment.Client.Ingest;

var common = new ClientCommandLine();
var sources = new IngestSourceOptions();
var urls = new Option<string>("--urls") { Description = "Where the HTTP API listens", DefaultValueFactory = _ => "http://127.0.0.1:5080" };

var serve = new Command("serve", "Serve the HTTP API (and optionally ingest a catalogue in the background)");
common.AddTo(serve);
serve.Options.Add(urls);
sources.AddTo(serve);
serve.SetAction(async (result, ct) =>
{
    await using var app = ClientApp.Create(common.ToConfiguration(result), result.GetValue(urls)!, sources.Read(result));
    await app.RunAsync(ct);
    return 0;
});

var ingest = new Command("ingest", "Ingest a catalogue CSV or an NDJSON file of events, then exit");
common.AddTo(ingest);
sources.AddTo(ingest);
ingest.SetAction(async (result, ct) =>
{
    var named = sources.Read(result);
    if (named is null)
    {
        Console.Error.WriteLine("Name what to ingest: --catalog styles.csv [--images dir] or --ndjson events.ndjson");
        return 2;
    }
    var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = AppContext.BaseDirectory });
    builder.AddEnrichmentClient(common.ToConfiguration(result));
    using var host = builder.Build();
    await host.StartAsync(ct);
    var tally = await IngestCommand.RunAsync(host.Services.GetRequiredService<CatalogIngestor>(), named, ct);
    await host.StopAsync(CancellationToken.None);
    return tally[IngestStatus.Failed] > 0 ? 1 : 0;
});

var root = new RootCommand("Enrichment.Orleans client: HTTP API and catalogue ingest");
root.Subcommands.Add(serve);
root.Subcommands.Add(ingest);
return await root.Parse(args).InvokeAsync();
