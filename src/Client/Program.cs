using System.CommandLine;
using Enrichment.Client.Hosting;
using Enrichment.Client.Ingest;

var common = new ClientCommandLine();
var catalog = new Option<string?>("--catalog") { Description = "Catalogue CSV (styles.csv)" };
var images = new Option<string?>("--images") { Description = "Image folder of the catalogue (default: images/ beside the CSV)" };
var ndjson = new Option<string?>("--ndjson") { Description = "NDJSON file of product events" };
var version = new Option<long?>("--version") { Description = "Version of a CSV snapshot (default: the file's modification time)" };
var urls = new Option<string>("--urls") { Description = "Where the HTTP API listens", DefaultValueFactory = _ => "http://127.0.0.1:5080" };

var serve = new Command("serve", "Serve the HTTP API (and optionally ingest a catalogue in the background)");
common.AddTo(serve);
serve.Options.Add(urls);
serve.Options.Add(catalog);
serve.Options.Add(images);
serve.Options.Add(ndjson);
serve.SetAction(async (result, ct) =>
{
    var startupIngest = new StartupIngestOptions(result.GetValue(catalog), result.GetValue(images), result.GetValue(ndjson));
    await using var app = ClientApp.Create(common.ToConfiguration(result), result.GetValue(urls)!, startupIngest);
    await app.RunAsync(ct);
    return 0;
});

var ingest = new Command("ingest", "Ingest a catalogue CSV or an NDJSON file of events, then exit");
common.AddTo(ingest);
ingest.Options.Add(catalog);
ingest.Options.Add(images);
ingest.Options.Add(ndjson);
ingest.Options.Add(version);
ingest.SetAction(async (result, ct) =>
{
    var sources = IngestSources.From(result.GetValue(catalog), result.GetValue(images), result.GetValue(ndjson), result.GetValue(version));
    if (sources is null)
    {
        Console.Error.WriteLine("Name what to ingest: --catalog styles.csv [--images dir] or --ndjson events.ndjson");
        return 2;
    }
    var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = AppContext.BaseDirectory });
    builder.AddEnrichmentClient(common.ToConfiguration(result));
    using var host = builder.Build();
    await host.StartAsync(ct);
    var tally = await IngestCommand.RunAsync(host.Services.GetRequiredService<CatalogIngestor>(), sources, ct);
    await host.StopAsync(CancellationToken.None);
    return tally[IngestStatus.Failed] > 0 ? 1 : 0;
});

var root = new RootCommand("Enrichment.Orleans client: HTTP API and catalogue ingest");
root.Subcommands.Add(serve);
root.Subcommands.Add(ingest);
return await root.Parse(args).InvokeAsync();
