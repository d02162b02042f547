namespace Enrichment.Client.Ingest;

/// <summary>Picks the reader for what the user named: a CSV catalogue with its image folder, or an NDJSON file.</summary>
public sealed record IngestSources(string Description, Func<CancellationToken, IAsyncEnumerable<IncomingEvent>> Events)
{
    public static IngestSources? From(string? catalogCsv, string? imagesDir, string? ndjson, long? version)
    {
        if (catalogCsv is not null)
        {
            var images = imagesDir ?? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(catalogCsv))!, "images");
            var v = version ?? CatalogCsvReader.DefaultVersion(catalogCsv);
            return new IngestSources($"{catalogCsv} (images {images}, version {v})", ct => CatalogCsvReader.ReadAsync(catalogCsv, images, v, ct));
        }
        if (ndjson is not null)
        {
            var root = Path.GetDirectoryName(Path.GetFullPath(ndjson))!;
            return new IngestSources(ndjson, ct => ReadNdjson(ndjson, root, ct));
        }
        return null;
    }

    private static async IAsyncEnumerable<IncomingEvent> ReadNdjson(
        string path, string root, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        await using var stream = File.OpenRead(path);
        var name = Path.GetFileName(path);
        await foreach (var line in NdjsonLines.ReadAsync(stream, ct: ct))
        {
            var source = $"{name}:{line.Number}";
            yield return line.Error is { } error
                ? IncomingEvent.Failed(source, "", error)
                : NdjsonEventReader.Parse(line.Text!, source, root);
        }
    }
}
