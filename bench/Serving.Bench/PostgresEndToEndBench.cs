using System.Diagnostics;
using Enrichment.Abstractions;
using Enrichment.Grains.Serving;
using Enrichment.Persistence;
using Enrichment.TestSupport;
using Orleans.TestingHost;

namespace Enrichment.Serving.Bench;

/// <summary>
/// The same path on the real store: a throwaway PostgreSQL server, two silos (one with the accelerator), the durable
/// enrichment queue. Three phases in one run: ingest with no model published (ingest only), ingest while the backlog
/// is being enriched, then end-to-end enrichment of a fresh batch (ingest + queue + model + store).
/// </summary>
public static class PostgresEndToEndBench
{
    public sealed record Result(double IngestOnly, double IngestDuringEnrichment, double EndToEnd, double MeanBatch);

    public static async Task<Result> RunAsync(string checkpoint, IReadOnlyList<byte[]> images, int count, int maxBatch)
    {
        await using var postgres = await PostgresServer.StartAsync();
        var database = await postgres.CreateDatabaseAsync("bench");
        await PostgresSchema.ApplyAsync(database);
        var cache = Path.Combine(Path.GetTempPath(), "enrichment-bench-cache");
        // No bootstrap checkpoint: the model is published by the bench after the ingest-only phase.
        var cluster = ServingCluster.Build(2, acceleratorSilos: "Silo_0", checkpoint: null, cache, postgres: database, settings: new Dictionary<string, string>
        {
            ["Enrichment:Models:Batching:MaxBatchSize"] = maxBatch.ToString(),
            ["Enrichment:Models:Batching:MaxDelay"] = "00:00:00.005",
            ["Enrichment:Queue:ClaimSize"] = maxBatch.ToString(),
        });
        await cluster.DeployAsync();
        try
        {
            var grains = cluster.Client;
            var refs = await BenchCatalog.StoreImagesAsync(grains, images);
            var host = ServingCluster.HostOf(cluster.Silos[0]);

            var ingestOnly = await IngestAsync(grains, refs, Ids("ingest-only", count));
            Console.WriteLine($"  [postgres] ingest only (no model published): {ingestOnly,8:F1} products/s");

            var version = await new ModelWeightsStore(grains).UploadAsync(checkpoint, "bench");
            await grains.GetGrain<IModelRegistryGrain>(0).PublishBootstrap(version);
            await host.WaitForModelAsync(CancellationToken.None).WaitAsync(TimeSpan.FromMinutes(2));
            var during = await IngestAsync(grains, refs, Ids("during", count));
            Console.WriteLine($"  [postgres] ingest while the backlog is enriched: {during,8:F1} products/s");
            await DrainAsync(grains);

            var (batchesBefore, itemsBefore) = (host.Statistics!.Batches, host.Statistics.Items);
            var watch = Stopwatch.StartNew();
            await IngestAsync(grains, refs, Ids("e2e", count));
            await DrainAsync(grains);
            var endToEnd = count / watch.Elapsed.TotalSeconds;
            var meanBatch = (double)(host.Statistics.Items - itemsBefore) / Math.Max(1, host.Statistics.Batches - batchesBefore);
            return new Result(ingestOnly, during, endToEnd, meanBatch);
        }
        finally
        {
            await cluster.StopAllSilosAsync();
            await cluster.DisposeAsync();
        }
    }

    private static List<string> Ids(string run, int count) => Enumerable.Range(0, count).Select(i => $"{run}-{i}").ToList();

    private static async Task<double> IngestAsync(IGrainFactory grains, ImageRef[] refs, IReadOnlyList<string> ids)
    {
        var watch = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, ids.Count), new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (i, _) =>
            await grains.GetGrain<IProductGrain>(ids[i]).Apply(BenchCatalog.Event(ids[i], refs[i % refs.Length])));
        return ids.Count / watch.Elapsed.TotalSeconds;
    }

    /// <summary>Done when the queue is empty: one cheap query per poll, whatever the number of products.</summary>
    private static async Task DrainAsync(IGrainFactory grains)
    {
        while (true)
        {
            var stats = await grains.GetGrain<IEnrichmentQueueStatsGrain>(0).Get();
            if (stats.Depth == 0)
            {
                return;
            }
            await Task.Delay(20);
        }
    }
}
