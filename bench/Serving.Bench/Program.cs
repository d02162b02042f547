using System.CommandLine;
using Enrichment.Models;
using Enrichment.Serving.Bench;

// End-to-end enrichment throughput next to the raw batched model throughput measured in the same run,
// and batched next to unbatched serving. Targets: end-to-end >= 0.8 x raw; batched well above unbatched.
var checkpointOption = new Option<string?>("--checkpoint") { Description = "Checkpoint directory (default: models/demo, else a fresh ResNet18-w32)" };
var countOption = new Option<int>("--products") { Description = "Products per measurement", DefaultValueFactory = _ => 2000 };
var batchOption = new Option<int>("--batch") { Description = "Max batch size of the batched run", DefaultValueFactory = _ => 32 };
var freshOption = new Option<string?>("--fresh") { Description = "Serve a freshly initialised network instead: resnet18w32 or resnet50 (the library's network)" };
var storeOption = new Option<string>("--store") { Description = "memory (one silo, the embedded default) or postgres (throwaway server, two silos, durable queue)", DefaultValueFactory = _ => "memory" };
storeOption.AcceptOnlyFromAmong("memory", "postgres");
var root = new RootCommand("Serving benchmark") { checkpointOption, countOption, batchOption, freshOption, storeOption };
root.SetAction(async (parse, _) =>
{
    var count = parse.GetValue(countOption);
    var batch = parse.GetValue(batchOption);
    var repo = RepoRoot();
    var checkpoint = parse.GetValue(freshOption) is { } fresh ? FreshCheckpoint(fresh) : parse.GetValue(checkpointOption) ?? DefaultCheckpoint(repo);
    var images = Directory.GetFiles(Path.Combine(repo, "data", "sample", "images"), "*.jpg").Order().Select(File.ReadAllBytes).ToList();
    TorchRuntime.Initialize();
    Console.WriteLine($"checkpoint {checkpoint}; {count} products over {images.Count} sample photos; " +
                      $"torch threads {TorchSharp.torch.get_num_threads()}; LD_PRELOAD={Environment.GetEnvironmentVariable("LD_PRELOAD") ?? "(none)"}");

    if (parse.GetValue(storeOption) == "postgres")
    {
        return await RunPostgresAsync(checkpoint, images, count, batch);
    }

    // Raw throughput is measured before and after the end-to-end run and averaged, so drift in machine load
    // between the two measurements does not tilt the ratio.
    var rawBefore = RawModelBench.ImagesPerSecond(checkpoint, images, count, batch);
    var batched = await EndToEndBench.RunAsync(checkpoint, images, count, batch, "batched");
    var rawAfter = RawModelBench.ImagesPerSecond(checkpoint, images, count, batch);
    var raw = (rawBefore + rawAfter) / 2;
    Console.WriteLine($"raw batched model (decode + forward, batch {batch}): {raw,8:F1} img/s  (before {rawBefore:F1}, after {rawAfter:F1})");
    Console.WriteLine($"end-to-end, batched (max {batch}):               {batched.ProductsPerSecond,8:F1} products/s  (mean batch {batched.MeanBatch:F1}, largest {batched.LargestBatch})");
    var single = await EndToEndBench.RunAsync(checkpoint, images, Math.Max(count / 4, 100), 1, "single");
    Console.WriteLine($"end-to-end, unbatched (max 1):                {single.ProductsPerSecond,8:F1} products/s");
    Console.WriteLine();
    Console.WriteLine($"ratio end-to-end / raw batched:   {batched.ProductsPerSecond / raw:F2}  (target >= 0.80)");
    Console.WriteLine($"ratio batched / unbatched:        {batched.ProductsPerSecond / single.ProductsPerSecond:F2}");
    return 0;
});
return await root.Parse(args).InvokeAsync();

static async Task<int> RunPostgresAsync(string checkpoint, IReadOnlyList<byte[]> images, int count, int batch)
{
    var rawBefore = RawModelBench.ImagesPerSecond(checkpoint, images, count, batch);
    var pg = await PostgresEndToEndBench.RunAsync(checkpoint, images, count, batch);
    var rawAfter = RawModelBench.ImagesPerSecond(checkpoint, images, count, batch);
    var raw = (rawBefore + rawAfter) / 2;
    Console.WriteLine($"raw batched model (decode + forward, batch {batch}): {raw,8:F1} img/s  (before {rawBefore:F1}, after {rawAfter:F1})");
    Console.WriteLine($"end-to-end on PostgreSQL, two silos:           {pg.EndToEnd.PerSecond,8:F1} products/s  (mean batch {pg.MeanBatch:F1})");
    foreach (var phase in new[] { pg.IngestOnly, pg.Enrichment, pg.IngestDuringEnrichment, pg.EndToEnd })
    {
        Console.WriteLine($"  {phase}");
    }
    Console.WriteLine();
    Console.WriteLine($"ratio end-to-end / raw batched:   {pg.EndToEnd.PerSecond / raw:F2}  (target >= 0.85 with ResNet-50)");
    Console.WriteLine($"ratio ingest during / ingest only: {pg.IngestDuringEnrichment.PerSecond / pg.IngestOnly.PerSecond:F2}  (target >= 0.70)");
    Console.WriteLine($"round trips per product: ingest {pg.IngestOnly.RoundTrips:F2} (target <= 2), enrichment {pg.Enrichment.RoundTrips:F2} " +
                      $"(cold backlog, with the model's load), {pg.EndToEnd.RoundTrips - pg.IngestOnly.RoundTrips:F2} (end-to-end less ingest) (target <= 2)");
    return 0;
}

static string RepoRoot()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "Enrichment.Orleans.sln")))
        {
            return dir.FullName;
        }
    }
    throw new InvalidOperationException("run from inside the repository");
}

static string DefaultCheckpoint(string repo)
{
    var demo = Path.Combine(repo, "models", "demo");
    return File.Exists(Path.Combine(demo, "manifest.json")) ? demo : FreshCheckpoint("resnet18w32");
}

static string FreshCheckpoint(string architecture)
{
    var options = architecture switch
    {
        "resnet50" => new ModelOptions { Architecture = Architecture.ResNet50, BaseWidth = 64 },
        "resnet18w32" => new ModelOptions { Architecture = Architecture.ResNet18, BaseWidth = 32 },
        _ => throw new ArgumentException($"unknown architecture '{architecture}'"),
    };
    var dir = Path.Combine(Path.GetTempPath(), "enrichment-bench-" + architecture);
    var labels = new LabelMaps(new LabelMap("colour", ["other", "Black"]), new LabelMap("brand", ["other", "Nike"]), new LabelMap("type", ["other", "Tshirts"]));
    using var model = EnrichmentModel.CreateUntrained(options, labels, Vocabulary.Build(["black nike tshirt"], minCount: 1), TorchSharp.torch.CPU);
    model.Save(dir);
    return dir;
}
