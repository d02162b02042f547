using Enrichment.Abstractions;
using Enrichment.Grains.Tests.Serving;
using Enrichment.TestSupport;
using Enrichment.Models;

namespace Enrichment.Grains.Tests.Training;

/// <summary>Ingests the bundled sample catalogue (real photos, real labels) straight into product grains.</summary>
public static class SampleCatalog
{
    public static async Task<List<string>> IngestAsync(IGrainFactory grains, string prefix)
    {
        var root = Directory.GetParent(SampleImages.Folder)!.FullName;
        var rows = CatalogReader.Read(Path.Combine(root, "styles.csv"), SampleImages.Folder).Rows;
        var ids = new List<string>();
        await Parallel.ForEachAsync(rows, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (row, _) =>
        {
            var id = $"{prefix}-{row.Id}";
            var stored = await SampleImages.StoreAsync(grains, id, await File.ReadAllBytesAsync(CatalogReader.ImagePath(SampleImages.Folder, row.Id)));
            await grains.GetGrain<IProductGrain>(id).Apply(stored with
            {
                Name = row.DisplayName,
                Attributes = new()
                {
                    [AttributeNames.Type] = row.ArticleType,
                    [AttributeNames.Colour] = row.BaseColour,
                    [AttributeNames.Category] = row.MasterCategory,
                },
            });
            lock (ids) ids.Add(id);
        });
        return ids;
    }
}
