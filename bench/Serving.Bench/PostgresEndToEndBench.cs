using System.Diagnostics;
using Enrichment.Abstractions;
using Enrichment.Grains.Serving;
using Enrichment.Persistence;
using Enrichment.TestSupport;

namespace Enrichment.Serving.Bench;

/// <summary>
/// The same path on the real store: a throwaway PostgreSQL server, two silos (one with the accelerator), the durable
/// enrichment queue. Four phases in one run, each with its round trips to PostgreSQL and CPU per product: ingest with
/// no model published (ingest only); enrichment of that backlog alone, from products no longer in memory, timed from
/// the model's publication (so including its load); ingest while enrichment runs; end-to-end enrichment of a fresh
/// batch (ingest + queue + model + store).
/// </summary>
public static class PostgresEndToEndBench
{
    public sealed record Phase(string Name, int Products, ResourceMeter.Reading Cost, long Transactions)
    {
        public double PerSecond => Products / Cost.Wall.TotalSeconds;
        public double RoundTrips => (double)Transactions / Products;

        public override string ToString() =>
            $"{Name,-34} {PerSecond,8:F1} products/s  {RoundTrips,5:F2} round trips/product  " +
            $"CPU/product: {Cost.ProcessCpu.TotalMilliseconds / Products,6:F2} core-ms silos+client, {Cost.PostgresCpu.TotalMilliseconds / Products,5:F2} core-ms PostgreSQL";
    }

    public sealed record Result(Phase IngestOnly, Phase Enrichment, Phase IngestDuringEnrichment, Phase EndToEnd, double MeanBatch);

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
            var meter = new ResourceMeter(database, postgres.DataDirectory);

            var ingestOnly = await MeasureAsync(meter, "ingest only (no model published)", count, () => IngestAsync(grains, refs, Ids("ingest-only", count)));
            Console.WriteLine($"  [postgres] {ingestOnly}");

            var version = await new ModelWeightsStore(grains).UploadAsync(checkpoint, "bench");
            await grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
            // The pump starts the moment the model is loaded, so the phase starts with the publication: its time and
            // round trips include loading the model (the weights' chunks are read once).
            var enrichment = await MeasureAsync(meter, "enrichment of the cold backlog", count, async () =>
            {
                await grains.GetGrain<IModelRegistryGrain>(0).PublishBootstrap(version);
                await host.WaitForModelAsync(CancellationToken.None).WaitAsync(TimeSpan.FromMinutes(2));
                await DrainAsync(grains);
            });
            Console.WriteLine($"  [postgres] {enrichment}");

            var during = await MeasureAsync(meter, "ingest while enrichment runs", count, () => IngestAsync(grains, refs, Ids("during", count)));
            Console.WriteLine($"  [postgres] {during}");
            await DrainAsync(grains);

            var (batchesBefore, itemsBefore) = (host.Statistics!.Batches, host.Statistics.Items);
            var endToEnd = await MeasureAsync(meter, "end-to-end (ingest + enrichment)", count, async () =>
            {
                await IngestAsync(grains, refs, Ids("e2e", count));
                await DrainAsync(grains);
            });
            Console.WriteLine($"  [postgres] {endToEnd}");
            var meanBatch = (double)(host.Statistics.Items - itemsBefore) / Math.Max(1, host.Statistics.Batches - batchesBefore);
            return new Result(ingestOnly, enrichment, during, endToEnd, meanBatch);
        }
        finally
        {
            await cluster.StopAllSilosAsync();
            await cluster.DisposeAsync();
        }
    }

    /// <summary>Time and CPU up to the end of <paramref name="work"/>; transactions once the database has reported them all.</summary>
    private static async Task<Phase> MeasureAsync(ResourceMeter meter, string name, int products, Func<Task> work)
    {
        var before = await meter.SettleAsync();
        await work();
        var after = await meter.ReadAsync();
        var settled = await meter.SettleAsync();
        return new Phase(name, products, after - before, (settled - before).Transactions);
    }

    private static List<string> Ids(string run, int count) => Enumerable.Range(0, count).Select(i => $"{run}-{i}").ToList();

    private static Task IngestAsync(IGrainFactory grains, ImageRef[] refs, IReadOnlyList<string> ids) =>
        Parallel.ForEachAsync(Enumerable.Range(0, ids.Count), new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (i, _) =>
            await grains.GetGrain<IProductGrain>(ids[i]).Apply(BenchCatalog.Event(ids[i], refs[i % refs.Length])));

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
