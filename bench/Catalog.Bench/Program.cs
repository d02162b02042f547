using System.CommandLine;
using Enrichment.Catalog.Bench;

// Catalogue scale on the real store: ingest N products into a two-silo PostgreSQL cluster (no model), then time the
// read model's queries. Targets (README): at N = 200,000 the last decile's per-product cost <= 1.2 x the first's,
// ingest >= 2,000 products/s with <= 2 PostgreSQL round trips per product, every query kind p95 <= 50 ms.
var repo = RepoRoot();
var shared = Path.GetFullPath(Path.Combine(repo, "..", "shared", "datasets", "fashion-product-images-small"));
var productsOption = new Option<int>("--products") { Description = "Products to ingest (N)", DefaultValueFactory = _ => 200_000 };
var catalogOption = new Option<string>("--catalog") { Description = "styles.csv of the real catalogue", DefaultValueFactory = _ => Path.Combine(shared, "styles.csv") };
var imagesOption = new Option<string>("--images") { Description = "Its photos", DefaultValueFactory = _ => Path.Combine(shared, "images") };
var concurrencyOption = new Option<int>("--concurrency") { Description = "Products in flight at once", DefaultValueFactory = _ => 64 };
var queriesOption = new Option<int>("--queries") { Description = "Timed runs of each query kind (0: ingest only)", DefaultValueFactory = _ => 200 };
var photosOption = new Option<string[]>("--photos")
{
    Description = "Where photos are stored: postgres, s3 (a throwaway s3rver), filesystem; several run one after the other, each on a fresh " +
                  "database and cluster, and are compared side by side at the end",
    DefaultValueFactory = _ => ["postgres"],
    AllowMultipleArgumentsPerToken = true,
};
var root = new RootCommand("Catalogue benchmark: ingest cost per decile and read-model query latency on PostgreSQL")
{
    productsOption, catalogOption, imagesOption, concurrencyOption, queriesOption, photosOption,
};
root.SetAction(async (parse, ct) =>
{
    var catalog = SyntheticCatalog.Load(parse.GetValue(catalogOption)!, parse.GetValue(imagesOption)!);
    var products = parse.GetValue(productsOption);
    Console.WriteLine($"{DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC; {products:N0} products over {catalog.DistinctRows:N0} real photos and rows; " +
                      $"{Environment.ProcessorCount} cores");
    var summaries = new List<CatalogBench.Summary>();
    foreach (var photos in parse.GetValue(photosOption)!)
    {
        summaries.Add(await CatalogBench.RunAsync(catalog, products, parse.GetValue(concurrencyOption), parse.GetValue(queriesOption), photos, ct));
    }
    if (summaries.Count > 1)
    {
        Console.WriteLine();
        Console.WriteLine("photos      products/s  vs first  DB bytes/p  of which catalog_images  store bytes/p  round trips/p  CPU ms/p silos+client  PostgreSQL  store server");
        foreach (var s in summaries)
        {
            Console.WriteLine($"{s.Photos,-10}  {s.ProductsPerSecond,10:F0}  {s.ProductsPerSecond / summaries[0].ProductsPerSecond,8:P0}  {s.DatabaseBytesPerProduct,10:N0}  " +
                              $"{s.PhotoTableBytesPerProduct,23:N0}  {s.StoreBytesPerProduct,13:N0}  {s.RoundTrips,13:F2}  {s.SiloCpuMs,21:F2}  {s.PostgresCpuMs,10:F2}  {s.StoreCpuMs,12:F2}");
        }
    }
    return 0;
});
return await root.Parse(args).InvokeAsync();

static string RepoRoot()
{
    var dir = AppContext.BaseDirectory;
    while (dir is not null && !File.Exists(Path.Combine(dir, "Enrichment.Orleans.sln")))
    {
        dir = Path.GetDirectoryName(dir);
    }
    return dir ?? throw new InvalidOperationException("run from inside the repository");
}
