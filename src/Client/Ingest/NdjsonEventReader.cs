using System.Text.Json;

namespace Enrichment.Client.Ingest;

/// <summary>Parses one JSON event (an NDJSON line or an HTTP body element); a bad one becomes a failed event, never a reason to stop.</summary>
public static class NdjsonEventReader
{
    /// <summary>
    /// A key given twice is refused, not won by the last one: <c>"version":1,"version":2</c> would otherwise store a
    /// version the sender's own tools may read as 1. (Attribute names given twice are caught by their own converter.)
    /// </summary>
    private static readonly JsonSerializerOptions Strict = new() { AllowDuplicateProperties = false };

    public static IncomingEvent Parse(string json, string source, string? imageRoot)
    {
        EventDocument? doc;
        try
        {
            doc = JsonSerializer.Deserialize<EventDocument>(json, Strict);
        }
        catch (JsonException ex) when (DuplicateKey(ex) is { } key)
        {
            return IncomingEvent.Failed(source, json, $"'{key}' appears more than once");
        }
        catch (JsonException ex)
        {
            return IncomingEvent.Failed(source, json, $"malformed JSON: {ex.Message}");
        }
        return doc is null
            ? IncomingEvent.Failed(source, json, "expected a JSON object")
            : EventDocumentMapper.Map(doc, source, json, imageRoot);
    }

    /// <summary>The key a duplicate-property error names (its path's last segment), or null for any other error.</summary>
    private static string? DuplicateKey(JsonException ex)
    {
        if (!ex.Message.Contains("duplicate", StringComparison.OrdinalIgnoreCase) || ex.Path is not { Length: > 0 } path)
        {
            return null;
        }
        var key = path[(path.LastIndexOf('.') + 1)..].Trim('[', ']', '\'');
        return Enrichment.Abstractions.ProductEventValidator.Excerpt(key);
    }
}
