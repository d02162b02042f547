using Enrichment.Abstractions;
using Enrichment.Models;
using Enrichment.Persistence.Catalog;

namespace Enrichment.Grains.Training;

/// <summary>
/// Writes the labelled part of the catalogue (products with a photo and known type and colour) to a folder in
/// the layout the model library trains from: images/&lt;n&gt;.jpg plus rows. Products are read from the read model a
/// page at a time, in id order; ids are renumbered because the library keys images by integer. Reviewed values are
/// the products' catalogue values, so they are labels like any other; the export counts them apart.
/// </summary>
public sealed class CatalogExporter(ICatalogReadModel readModel, IGrainFactory grains)
{
    private const int PageSize = 500;
    private const int ParallelDownloads = 16;

    public sealed record Export(IReadOnlyList<CatalogRow> Rows, IReadOnlyList<string> ProductIds, int ReviewedRows);

    public async Task<Export> ExportAsync(string imagesDir, CancellationToken ct)
    {
        var reviewed = 0;
        Directory.CreateDirectory(imagesDir);
        var rows = new List<CatalogRow>();
        var productIds = new List<string>();
        string? after = null;
        var numbered = 0;
        while (await readModel.ListLabelledAsync(after, PageSize, ct) is { Count: > 0 } page)
        {
            var first = numbered;
            var items = page.Select((view, i) => (View: view, Number: first + i)).ToList();
            numbered += page.Count;
            var exported = new CatalogRow?[items.Count];
            await Parallel.ForEachAsync(items, new ParallelOptions { MaxDegreeOfParallelism = ParallelDownloads, CancellationToken = ct },
                async (item, token) =>
                {
                    var blob = await grains.GetGrain<IImageGrain>(item.View.Image!.Sha256).Get();
                    if (blob is not null)
                    {
                        await File.WriteAllBytesAsync(CatalogReader.ImagePath(imagesDir, item.Number), blob.Bytes, token);
                        exported[item.Number - first] = Row(item.View, item.Number);
                    }
                });
            for (var i = 0; i < items.Count; i++)
            {
                if (exported[i] is { } row)
                {
                    rows.Add(row);
                    productIds.Add(items[i].View.ProductId);
                    reviewed += items[i].View.Reviews.Count > 0 ? 1 : 0;
                }
            }
            after = page[^1].ProductId;
        }
        return new Export(rows, productIds, reviewed);
    }

    private static CatalogRow Row(ProductView view, int number)
    {
        string Known(string name) => view.KnownAttributes.GetValueOrDefault(name, "");
        return new CatalogRow(number, Known(AttributeNames.Category), Known(AttributeNames.SubCategory), Known(AttributeNames.Type),
            Known(AttributeNames.Colour), Known(AttributeNames.Usage), view.Name);
    }
}
