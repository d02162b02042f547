using System.Text.Json;

namespace Enrichment.Client.Ingest;

/// <summary>Parses one JSON event (an NDJSON line or an HTTP body element); a bad one becomes a failed event, never a reason to stop.</summary>
public static class NdjsonEventReader
{
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
