using System.Runtime.CompilerServices;
using System.Text.Json;

namespace Enrichment.Client.Ingest;

/// <summary>Reads one JSON event per line; a bad line becomes a failed event, never a reason to stop.</summary>
public static class NdjsonEventReader
{
    public static async IAsyncEnumerable<IncomingEvent> ReadAsync(
        TextReader reader, string sourceName, string? imageRoot, [EnumeratorCancellation] CancellationToken ct = default)
    {
        var lineNumber = 0;
        while (await reader.ReadLineAsync(ct) is { } line)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }
            yield return Parse(line, $"{sourceName}:{lineNumber}", imageRoot);
        }
    }

    public static IncomingEvent Parse(string json, string source, string? imageRoot)
    {
        EventDocument? doc;
        try
        {
            doc = JsonSerializer.Deserialize<EventDocument>(json);
        }
        catch (JsonException ex)
        {
            return IncomingEvent.Failed(source, json, $"malformed JSON: {ex.Message}");
        }
        return doc is null
            ? IncomingEvent.Failed(source, json, "expected a JSON object")
            : EventDocumentMapper.Map(doc, source, json, imageRoot);
    }
}
