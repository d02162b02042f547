using System.Security.Cryptography;
using Enrichment.Abstractions;
using Enrichment.Models;

namespace Enrichment.Catalog.Bench;

/// <summary>
/// N products over the real catalogue: product i takes row i mod 40k (its labels, name and photo), under its own id,
/// and its photo gets a trailer of its own after the JPEG end marker (decoders ignore it), so content addressing
/// stores N images rather than 40k.
/// </summary>
public sealed class SyntheticCatalog(IReadOnlyList<CatalogRow> rows, string imagesDir)
{
    public static SyntheticCatalog Load(string stylesCsv, string imagesDir) =>
        new(CatalogReader.Read(stylesCsv, imagesDir).Rows, imagesDir);

    public int DistinctRows => rows.Count;

    public static string IdOf(int i) => $"p{i:D7}";

    public async Task<(byte[] Photo, ProductEvent Event)> ProductAsync(int i, CancellationToken ct)
    {
        var row = rows[i % rows.Count];
        var photo = await File.ReadAllBytesAsync(CatalogReader.ImagePath(imagesDir, row.Id), ct);
        var unique = new byte[photo.Length + 8];
        photo.CopyTo(unique, 0);
        BitConverter.TryWriteBytes(unique.AsSpan(photo.Length), (long)i);
        var id = IdOf(i);
        return (unique, new ProductEvent
        {
            EventId = $"{id}-e1",
            ProductId = id,
            Version = 1,
            Name = row.DisplayName,
            Image = new ImageRef(Convert.ToHexStringLower(SHA256.HashData(unique)), unique.Length, "image/jpeg"),
            Attributes = new Dictionary<string, string>
            {
                [AttributeNames.Category] = row.MasterCategory,
                [AttributeNames.SubCategory] = row.SubCategory,
                [AttributeNames.Type] = row.ArticleType,
                [AttributeNames.Colour] = row.BaseColour,
                [AttributeNames.Usage] = row.Usage,
            }.Where(a => !string.IsNullOrWhiteSpace(a.Value)).ToDictionary(),
            OccurredAt = DateTimeOffset.UtcNow,
        });
    }
}
