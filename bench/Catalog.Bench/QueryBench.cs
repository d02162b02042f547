using System.Diagnostics;
using Enrichment.Abstractions;

namespace Enrichment.Catalog.Bench;

/// <summary>Latency of each query kind through the cluster (client → search grain → PostgreSQL), p50 and p95.</summary>
public static class QueryBench
{
    private static readonly string[] Texts = ["navy shirt", "women kurta", "men watch", "puma shoes", "black jeans", "nike running"];

    public static async Task RunAsync(IGrainFactory grains, int products, int runs)
    {
        var search = grains.GetGrain<ICatalogSearchGrain>(0);
        var broad = new CatalogQuery { Attributes = new() { [AttributeNames.Category] = ["Apparel"] } };
        var kinds = new (string Name, Func<int, CatalogQuery> Query)[]
        {
            ("broad filter (category=Apparel)", _ => broad),
            ("narrow filter (colour+type)", _ => new CatalogQuery
            {
                Attributes = new() { [AttributeNames.Colour] = ["Navy Blue"], [AttributeNames.Type] = ["Shirts"] },
            }),
            ("deep cursor page (broad, 90% in)", _ => broad with { After = CatalogQueryRules.EncodeCursor(SyntheticCatalog.IdOf(products * 9 / 10)) }),
            ("free text (two words)", i => new CatalogQuery { Text = Texts[i % Texts.Length] }),
            ("facets (broad filter)", _ => broad with { IncludeFacets = true }),
            ("facets (narrow filter)", _ => new CatalogQuery { Attributes = new() { [AttributeNames.Type] = ["Shirts"] }, IncludeFacets = true }),
        };
        Console.WriteLine($"query kind                          p50 ms   p95 ms   matches");
        // "~" marks a total estimated from a sample (results above the read model's exact-count limit).
        foreach (var (name, query) in kinds)
        {
            for (var i = 0; i < 10; i++)
            {
                await search.Search(query(i));
            }
            var times = new List<double>();
            long? total = 0;
            var estimated = false;
            for (var i = 0; i < runs; i++)
            {
                var watch = Stopwatch.StartNew();
                var page = await search.Search(query(i));
                times.Add(watch.Elapsed.TotalMilliseconds);
                (total, estimated) = (page.Total, page.Estimated);
            }
            times.Sort();
            Console.WriteLine($"{name,-34} {Percentile(times, 0.50),7:F1}  {Percentile(times, 0.95),7:F1}  {(estimated ? "~" : " ")}{total,8:N0}");
        }
    }

    private static double Percentile(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
}
