using System.Globalization;
using System.Runtime.CompilerServices;
using CsvHelper;
using CsvHelper.Configuration;
using Enrichment.Abstractions;

namespace Enrichment.Client.Ingest;

/// <summary>
/// Reads the catalogue export (styles.csv: id,masterCategory,subCategory,articleType,baseColour,usage,productDisplayName)
/// with images at images/&lt;id&gt;.jpg. A CSV export is a snapshot, so all its rows share one version: by default the
/// file's modification time, which makes re-ingesting the same file a no-op and a newer export win.
/// </summary>
public static class CatalogCsvReader
{
    private static readonly (string Column, string Attribute)[] AttributeColumns =
    [
        ("baseColour", AttributeNames.Colour),
        ("articleType", AttributeNames.Type),
        ("masterCategory", AttributeNames.Category),
        ("subCategory", AttributeNames.SubCategory),
        ("usage", AttributeNames.Usage),
    ];

    private const char ReplacementCharacter = '\uFFFD';

    public static long DefaultVersion(string csvPath) => new DateTimeOffset(File.GetLastWriteTimeUtc(csvPath)).ToUnixTimeMilliseconds();

    public static async IAsyncEnumerable<IncomingEvent> ReadAsync(
        string csvPath, string imagesDir, long version, [EnumeratorCancellation] CancellationToken ct = default)
    {
        var config = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            BadDataFound = null,
            MissingFieldFound = null,
        };
        using var reader = new StreamReader(csvPath);
        using var csv = new CsvReader(reader, config);
        await csv.ReadAsync();
        csv.ReadHeader();
        var header = csv.HeaderRecord ?? [];
        var missing = AttributeColumns.Select(c => c.Column).Append("id").Append("productDisplayName").Except(header).ToList();
        if (missing.Count > 0)
        {
            throw new InvalidDataException($"{csvPath} lacks the columns: {string.Join(", ", missing)}");
        }

        var sourceName = Path.GetFileName(csvPath);
        while (await csv.ReadAsync())
        {
            ct.ThrowIfCancellationRequested();
            var source = $"{sourceName}:{csv.Parser.RawRow}";
            var raw = csv.Parser.RawRecord ?? "";
            var id = csv.GetField("id")?.Trim() ?? "";
            if (csv.Parser.Count != header.Length)
            {
                yield return IncomingEvent.Failed(source, raw, $"expected {header.Length} fields, found {csv.Parser.Count}");
                continue;
            }
            // The reader decodes bytes that are not UTF-8 as U+FFFD; such a row is refused, not stored with replaced text.
            if (raw.Contains(ReplacementCharacter))
            {
                yield return IncomingEvent.Failed(source, raw, "row is not valid UTF-8");
                continue;
            }
            var imagePath = ImagePaths.ResolveInside(imagesDir, id + ".jpg");
            if (imagePath is null || !File.Exists(imagePath))
            {
                yield return IncomingEvent.Failed(source, raw, $"image file not found: {ProductEventValidator.Excerpt(id)}.jpg");
                continue;
            }
            var attributes = AttributeColumns
                .Select(c => (c.Attribute, Value: csv.GetField(c.Column)?.Trim()))
                .Where(a => !string.IsNullOrEmpty(a.Value))
                .ToDictionary(a => a.Attribute, a => a.Value!);
            var productEvent = new ProductEvent
            {
                EventId = $"csv-{id}-v{version}",
                ProductId = id,
                Version = version,
                Name = csv.GetField("productDisplayName") ?? "",
                Attributes = attributes,
                OccurredAt = DateTimeOffset.UtcNow,
            };
            yield return new IncomingEvent(source, ProductEventValidator.Excerpt(raw, 200))
            {
                Event = productEvent,
                Photos = imagePath is null ? [] : [new IncomingPhoto(File: imagePath)], // read by the ingestor, which checks its size first
            };
        }
    }
}
