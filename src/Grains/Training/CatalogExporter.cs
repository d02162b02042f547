using Enrichment.Abstractions;
using Enrichment.Evaluation;
using Enrichment.Models;
using Enrichment.Persistence.Catalog;

namespace Enrichment.Grains.Training;

/// <summary>
/// Writes the labelled part of the catalogue (products with a photo and known type and colour) to a folder in
/// the layout the model library trains from: images/&lt;n&gt;.jpg plus rows. Products are read from the read model a
/// page at a time, in id order; ids are renumbered because the library keys images by integer. Reviewed values are
/// the products' catalogue values, so they are labels like any other; the export counts them apart.
/// </summary>
public sealed class CatalogExporter(ICatalogReadModel readModel, IGrainFactory grains, EvaluationOptions evaluation)
{
    private const int PageSize = 500;
    private const int ParallelDownloads = 16;

    /// <summary>
    /// <paramref name="Rows"/> to train on (never an evaluation-set product), <paramref name="EvaluationRows"/> to score
    /// on (at most <see cref="EvaluationOptions.MaxRows"/>), and how many training rows carry reviewed labels.
    /// </summary>
    public sealed record Export(IReadOnlyList<CatalogRow> Rows, IReadOnlyList<CatalogRow> EvaluationRows, IReadOnlyList<string> ProductIds, int ReviewedRows);

    /// <param name="evaluationOnly">Export only the evaluation rows (scoring a version), downloading nothing else.</param>
    public async Task<Export> ExportAsync(string imagesDir, CancellationToken ct, bool evaluationOnly = false)
    {
        var reviewed = 0;
        var evaluationRows = new List<CatalogRow>();
        Directory.CreateDirectory(imagesDir);
        var rows = new List<CatalogRow>();
        var productIds = new List<string>();
        string? after = null;
        var numbered = 0;
        var evaluationWanted = 0;
        while (await readModel.ListLabelledAsync(after, PageSize, ct) is { Count: > 0 } page)
        {
            after = page[^1].ProductId;
            // Evaluation products past the cap are neither trained on nor scored: they are not even downloaded.
            var items = new List<(ProductView View, int Number, bool Evaluation)>();
            foreach (var view in page)
            {
                var evaluationRow = EvaluationSet.Contains(view.ProductId, evaluation);
                if ((evaluationRow && evaluationWanted++ >= evaluation.MaxRows) || (evaluationOnly && !evaluationRow))
                {
                    continue;
                }
                items.Add((view, numbered++, evaluationRow));
            }
            var exported = new CatalogRow?[items.Count];
            await Parallel.ForEachAsync(items.Select((item, index) => (item, index)),
                new ParallelOptions { MaxDegreeOfParallelism = ParallelDownloads, CancellationToken = ct },
                async (entry, token) =>
                {
                    var blob = await grains.Photos().Get(entry.item.View.Image!.Sha256);
                    if (blob is not null)
                    {
                        await File.WriteAllBytesAsync(CatalogReader.ImagePath(imagesDir, entry.item.Number), blob.Bytes, token);
                        exported[entry.index] = Row(entry.item.View, entry.item.Number);
                    }
                });
            for (var i = 0; i < items.Count; i++)
            {
                if (exported[i] is not { } row)
                {
                    continue;
                }
                productIds.Add(items[i].View.ProductId);
                if (items[i].Evaluation)
                {
                    evaluationRows.Add(row);
                }
                else
                {
                    rows.Add(row);
                    reviewed += items[i].View.Reviews.Count > 0 ? 1 : 0;
                }
            }
        }
        return new Export(rows, evaluationRows, productIds, reviewed);
    }

    private static CatalogRow Row(ProductView view, int number)
    {
        string Known(string name) => view.KnownAttributes.GetValueOrDefault(name, "");
        return new CatalogRow(number, Known(AttributeNames.Category), Known(AttributeNames.SubCategory), Known(AttributeNames.Type),
            Known(AttributeNames.Colour), Known(AttributeNames.Usage), view.Name);
    }
}
