namespace Enrichment.Client.Ingest;

/// <summary>
/// Picks the reader for what the user named: a CSV catalogue with its image folder, or an NDJSON file. Its events are
/// read with the ingest's own line limit (<see cref="IngestOptions.MaxLineBytes"/>): a line longer than the largest
/// event the ingest accepts is refused before it is held in memory.
/// </summary>
public sealed record IngestSources(string Description, Func<int, CancellationToken, IAsyncEnumerable<IncomingEvent>> Read)
{
    /// <summary>The events, NDJSON lines of at most <paramref name="maxLineBytes"/> bytes (CSV rows are bounded by their reader).</summary>
    public IAsyncEnumerable<IncomingEvent> Events(int maxLineBytes, CancellationToken ct) => Read(maxLineBytes, ct);

    public static IngestSources? From(string? catalogCsv, string? imagesDir, string? ndjson, long? version)
    {
        if (catalogCsv is not null)
        {
            var images = imagesDir ?? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(catalogCsv))!, "images");
            var v = version ?? CatalogCsvReader.DefaultVersion(catalogCsv);
            return new IngestSources($"{catalogCsv} (images {images}, version {v})", (_, ct) => CatalogCsvReader.ReadAsync(catalogCsv, images, v, ct));
        }
        if (ndjson is not null)
        {
            var root = Path.GetDirectoryName(Path.GetFullPath(ndjson))!;
            return new IngestSources(ndjson, (maxLineBytes, ct) => ReadNdjson(ndjson, root, maxLineBytes, ct));
        }
        return null;
    }

    private static async IAsyncEnumerable<IncomingEvent> ReadNdjson(
        string path, string root, int maxLineBytes, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        await using var stream = File.OpenRead(path);
        var name = Path.GetFileName(path);
        await foreach (var line in NdjsonLines.ReadAsync(stream, maxLineBytes, ct))
        {
            var source = $"{name}:{line.Number}";
            yield return line.Error is { } error
                ? IncomingEvent.Failed(source, "", error)
                : NdjsonEventReader.Parse(line.Text!, source, root);
        }
    }
}
