using System.Diagnostics;
using Enrichment.Abstractions;
using Enrichment.Persistence;
using Enrichment.TestSupport;
using Npgsql;
using static Enrichment.TestSupport.PostgresStatements;

namespace Enrichment.Catalog.Bench;

/// <summary>
/// One run: a durable throwaway PostgreSQL server, two silos without accelerators, photos in the store
/// <c>photos</c> names (postgres: catalog_images; s3: a throwaway s3rver; filesystem: a temp folder), ingest by decile,
/// then queries.
/// </summary>
public static class CatalogBench
{
    /// <summary>What one photo store's ingest cost, for the side-by-side table.</summary>
    public sealed record Summary(string Photos, int Products, double ProductsPerSecond, double DatabaseBytesPerProduct,
        double PhotoTableBytesPerProduct, double StoreBytesPerProduct, double RoundTrips, double SiloCpuMs, double PostgresCpuMs, double StoreCpuMs);

    public static async Task<Summary> RunAsync(SyntheticCatalog catalog, int products, int concurrency, int queries, string photos, CancellationToken ct)
    {
        await using var postgres = await PostgresServer.StartAsync(ct, durable: true);
        var database = await postgres.CreateDatabaseAsync("catalog_bench", ct);
        await PostgresSchema.ApplyAsync(database, ct: ct);
        await using var store = await BenchPhotoStore.StartAsync(photos, ct);
        var cluster = ServingCluster.Build(2, acceleratorSilos: "", checkpoint: null,
            Path.Combine(Path.GetTempPath(), "enrichment-catalog-bench"), postgres: database, settings: store.Settings);
        await cluster.DeployAsync();
        try
        {
            var grains = cluster.Client;
            var meter = new ResourceMeter(database, postgres.DataDirectory);
            var start = await meter.SettleAsync(ct);
            var storeCpuBefore = store.Cpu;
            Console.WriteLine($"photos: {photos}");
            Console.WriteLine("decile  products   products/s  silo CPU ms/p  PG CPU ms/p  DB bytes/p  WAL bytes/p  failed");
            var deciles = new List<(ResourceMeter.Reading Cost, int Count)>();
            var decileSize = Math.Max(1, products / 10);
            for (var d = 0; d < 10; d++)
            {
                var first = d * decileSize;
                var last = d == 9 ? products : first + decileSize;
                var before = await meter.ReadAsync();
                var failed = await IngestAsync(grains, catalog, first, last, concurrency, ct);
                var after = await meter.ReadAsync();
                var cost = after - before;
                var n = last - first;
                deciles.Add((cost, n));
                Console.WriteLine($"{d + 1,6}  {last,8:N0}  {n / cost.Wall.TotalSeconds,11:F0}  {cost.ProcessCpu.TotalMilliseconds / n,13:F2}  " +
                                  $"{cost.PostgresCpu.TotalMilliseconds / n,11:F2}  {cost.DatabaseBytes / n,10:N0}  {cost.WalBytes / n,11:N0}  {failed,6}");
            }
            var (firstCost, firstN) = deciles[0];
            var (lastCost, lastN) = deciles[^1];
            double CpuPerProduct(ResourceMeter.Reading r, int n) => (r.ProcessCpu + r.PostgresCpu).TotalMilliseconds / n;
            var totalWall = deciles.Sum(d => d.Cost.Wall.TotalSeconds);
            var settled = await meter.SettleAsync(ct);
            Console.WriteLine($"ingest: {products / totalWall:F0} products/s overall (target >= 2000)");
            Console.WriteLine($"PostgreSQL round trips per product (transactions, photo write + product write): " +
                              $"{(double)(settled - start).Transactions / products:F2} (target <= 2)");
            var whole = deciles.Aggregate(TimeSpan.Zero, (t, d) => t + d.Cost.ProcessCpu);
            var pg = deciles.Aggregate(TimeSpan.Zero, (t, d) => t + d.Cost.PostgresCpu);
            Console.WriteLine($"CPU per product: {whole.TotalMilliseconds / products:F2} core-ms in the silos and client (one process), " +
                              $"{pg.TotalMilliseconds / products:F2} core-ms in PostgreSQL");
            Console.WriteLine($"CPU per product, last decile / first: {CpuPerProduct(lastCost, lastN) / CpuPerProduct(firstCost, firstN):F2} (target <= 1.2)");
            Console.WriteLine($"WAL per product, last decile / first: {(double)lastCost.WalBytes / lastN / ((double)firstCost.WalBytes / firstN):F2}");

            var databaseBytes = deciles.Sum(d => d.Cost.DatabaseBytes);
            var photoTable = await ScalarAsync(database, "SELECT pg_total_relation_size('catalog_images')", ct);
            var storeBytes = store.Bytes();
            var storeCpu = store.Cpu - storeCpuBefore;
            Console.WriteLine($"database bytes per product: {(double)databaseBytes / products:N0} (catalog_images: {(double)photoTable / products:N0}); " +
                              $"photo store ({photos}) bytes per product outside PostgreSQL: {(double)storeBytes / products:N0}" +
                              (storeCpu > TimeSpan.Zero ? $"; its server's CPU {storeCpu.TotalMilliseconds / products:F2} core-ms per product" : ""));
            var summary = new Summary(photos, products, products / totalWall, (double)databaseBytes / products, (double)photoTable / products,
                (double)storeBytes / products, (double)(settled - start).Transactions / products, whole.TotalMilliseconds / products,
                pg.TotalMilliseconds / products, storeCpu.TotalMilliseconds / products);

            if (queries > 0)
            {
                // Statistics as autovacuum would leave them; the benchmark does not wait for it to get round to the table.
                await ExecuteAsync(database, "VACUUM ANALYZE catalog_products", ct, timeoutSeconds: 0);
                await QueryBench.RunAsync(grains, products, queries);
            }
            return summary;
        }
        finally
        {
            await cluster.StopAllSilosAsync();
            await cluster.DisposeAsync();
        }
    }

    private static async Task<int> IngestAsync(IGrainFactory grains, SyntheticCatalog catalog, int first, int last, int concurrency, CancellationToken ct)
    {
        var failed = 0;
        await Parallel.ForEachAsync(Enumerable.Range(first, last - first), new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = ct },
            async (i, token) =>
            {
                var (photo, productEvent) = await catalog.ProductAsync(i, token);
                for (var attempt = 1; ; attempt++)
                {
                    try
                    {
                        // What the client's ingest does per product: the photo once by content hash, then the event.
                        await grains.Photos().Put(productEvent.Image!.Sha256, photo, "image/jpeg");
                        await grains.GetGrain<IProductGrain>(productEvent.ProductId).Apply(productEvent);
                        return;
                    }
                    catch (Exception ex) when (ex is StorageUnavailableException or TimeoutException && attempt < 5)
                    {
                        await Task.Delay(100 * attempt, token);
                    }
                    catch (Exception)
                    {
                        Interlocked.Increment(ref failed);
                        return;
                    }
                }
            });
        return failed;
    }

}
