using System.Collections.Concurrent;
using Enrichment.Abstractions;
using Enrichment.Grains.Search;
using Enrichment.Models;

namespace Enrichment.Grains.Training;

/// <summary>
/// Writes the labelled part of the catalogue (products with a photo and known type and colour) to a folder in
/// the layout the model library trains from: images/&lt;n&gt;.jpg plus rows. Ids are renumbered because the
/// library keys images by integer, while product ids are strings.
/// </summary>
public sealed class CatalogExporter(IGrainFactory grains)
{
    public async Task<(IReadOnlyList<CatalogRow> Rows, IReadOnlyList<string> ProductIds)> ExportAsync(string imagesDir, CancellationToken ct)
    {
        Directory.CreateDirectory(imagesDir);
        var ids = await CatalogListing.AllProductIdsAsync(grains);
        var rows = new ConcurrentBag<(CatalogRow Row, string ProductId)>();
        var options = new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = ct };
        await Parallel.ForEachAsync(ids.Select((id, n) => (id, n)), options, async (item, token) =>
        {
            var view = await grains.GetGrain<IProductGrain>(item.id).Get();
            if (view?.Image is null
                || !view.KnownAttributes.TryGetValue(AttributeNames.Type, out var type)
                || !view.KnownAttributes.TryGetValue(AttributeNames.Colour, out var colour))
            {
                return;
            }
            var blob = await grains.GetGrain<IImageGrain>(view.Image.Sha256).Get();
            if (blob is null)
            {
                return;
            }
            await File.WriteAllBytesAsync(CatalogReader.ImagePath(imagesDir, item.n), blob.Bytes, token);
            string Known(string name) => view.KnownAttributes.GetValueOrDefault(name, "");
            rows.Add((new CatalogRow(item.n, Known(AttributeNames.Category), Known(AttributeNames.SubCategory), type, colour,
                Known(AttributeNames.Usage), view.Name), item.id));
        });
        var ordered = rows.OrderBy(r => r.Row.Id).ToList();
        return (ordered.Select(r => r.Row).ToList(), ordered.Select(r => r.ProductId).ToList());
    }
}

/// <summary>Every product is listed under one reserved, unsearchable index entry, so jobs can walk the catalogue.</summary>
public static class CatalogListing
{
    public const string Attribute = "_catalog";
    public const string Value = "all";

    public static async Task<List<string>> AllProductIdsAsync(IGrainFactory grains)
    {
        var shards = await Task.WhenAll(Enumerable.Range(0, IndexKeys.ShardCount)
            .Select(s => grains.GetGrain<IAttributeIndexGrain>(IndexKeys.For(Attribute, Value, s)).GetProductIds()));
        return shards.SelectMany(ids => ids).Order(ProductIdComparer.Instance).ToList();
    }
}
