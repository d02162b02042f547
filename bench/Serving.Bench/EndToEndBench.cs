using Enrichment.Grains.Placement;
using System.Diagnostics;
using Enrichment.Abstractions;
using Enrichment.Grains;
using Enrichment.Grains.Serving;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime.MembershipService.SiloMetadata;
using Orleans.TestingHost;

namespace Enrichment.Serving.Bench;

/// <summary>
/// Products/s through the whole path: client -> product grain (validate, persist, index) -> model grain ->
/// batcher -> forward pass -> product grain (persist, index), on a real one-silo cluster.
/// </summary>
public static class EndToEndBench
{
    public sealed record Result(double ProductsPerSecond, double MeanBatch, long LargestBatch);

    public static async Task<Result> RunAsync(string checkpoint, IReadOnlyList<byte[]> images, int count, int maxBatch, string run)
    {
        var builder = new InProcessTestClusterBuilder(1);
        // The production registration with the library's serving defaults (no test-speed settings).
        builder.ConfigureSilo((_, silo) => silo.AddEnrichmentStorage(new EnrichmentStorageOptions())
            .UseSiloMetadata(new Dictionary<string, string> { [AcceleratorPlacementFilterDirector.MetadataKey] = "cpu" })
            .AddEnrichmentGrains(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Enrichment:Models:BootstrapCheckpoint"] = checkpoint,
                ["Enrichment:Models:CacheDirectory"] = Path.Combine(Path.GetTempPath(), "enrichment-bench-cache"),
                ["Enrichment:Models:Device"] = "cpu",
                ["Enrichment:Models:Batching:MaxBatchSize"] = maxBatch.ToString(),
            }).Build()));
        var cluster = builder.Build();
        await cluster.DeployAsync();
        try
        {
            var client = cluster.Client;
            var refs = await BenchCatalog.StoreImagesAsync(client, images);

            var host = cluster.Silos[0].ServiceProvider.GetRequiredService<ModelHost>();
            // Warm-up loads the model and runs the first forward passes outside the measurement.
            await EnrichAsync(client, host, refs, Enumerable.Range(0, maxBatch * 2).Select(i => $"{run}-warm-{i}").ToList());
            var (batchesBefore, itemsBefore) = (host.Statistics!.Batches, host.Statistics.Items);

            var ids = Enumerable.Range(0, count).Select(i => $"{run}-{i}").ToList();
            var watch = Stopwatch.StartNew();
            await EnrichAsync(client, host, refs, ids);
            var seconds = watch.Elapsed.TotalSeconds;

            var batches = host.Statistics.Batches - batchesBefore;
            var items = host.Statistics.Items - itemsBefore;
            return new Result(count / seconds, (double)items / Math.Max(1, batches), host.Statistics.LargestBatch);
        }
        finally
        {
            await cluster.StopAllSilosAsync();
            await cluster.DisposeAsync();
        }
    }

    private static async Task EnrichAsync(IGrainFactory client, ModelHost host, ImageRef[] refs, IReadOnlyList<string> ids)
    {
        var target = (host.Statistics?.Items ?? 0) + ids.Count;
        await Parallel.ForEachAsync(Enumerable.Range(0, ids.Count), new ParallelOptions { MaxDegreeOfParallelism = 64 }, async (i, _) =>
            await client.GetGrain<IProductGrain>(ids[i]).Apply(BenchCatalog.Event(ids[i], refs[i % refs.Length])));
        // Watching the model host's counter is free; polling thousands of products would tax the cluster being measured.
        while ((host.Statistics?.Items ?? 0) < target)
        {
            await Task.Delay(10);
        }
        var pending = ids.ToList();
        while (pending.Count > 0)
        {
            var views = await Task.WhenAll(pending.Select(id => client.GetGrain<IProductGrain>(id).Get()));
            pending = pending.Where((_, i) => views[i]!.EnrichmentStatus == EnrichmentStatus.Pending).ToList();
            await Task.Delay(10);
        }
    }
}
