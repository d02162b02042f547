using System.Text.Json;
using Enrichment.Abstractions;

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
            return Leniently(json, source, imageRoot, $"'{key}' appears more than once", ex);
        }
        catch (JsonException ex)
        {
            return Leniently(json, source, imageRoot, problem: null, ex);
        }
        return doc is null
            ? IncomingEvent.Failed(source, json, "expected a JSON object")
            : EventDocumentMapper.Map(doc, source, json, imageRoot);
    }

    /// <summary>
    /// The strict read failed: read the event again field by field, so the rejection says what is wrong with each
    /// field (not only the first) and still names the product and event ids when they could be read. Text that is
    /// not JSON at all is refused with where it stops being JSON.
    /// </summary>
    private static IncomingEvent Leniently(string json, string source, string? imageRoot, string? problem, JsonException strictError)
    {
        JsonDocument parsed;
        try
        {
            parsed = JsonDocument.Parse(json);
        }
        catch (JsonException)
        {
            return IncomingEvent.Failed(source, json, problem ?? JsonProblem.Describe(strictError));
        }
        using (parsed)
        {
            if (parsed.RootElement.ValueKind != JsonValueKind.Object)
            {
                return IncomingEvent.Failed(source, json, $"expected a JSON object, got {Kind(parsed.RootElement.ValueKind)}");
            }
            var problems = new List<string>();
            if (problem is not null)
            {
                problems.Add(problem);
            }
            var doc = new EventDocument();
            foreach (var property in parsed.RootElement.EnumerateObject())
            {
                var value = property.Value;
                switch (property.Name)
                {
                    case "eventId": doc.EventId = Text(value, "eventId", problems); break;
                    case "productId": doc.ProductId = Text(value, "productId", problems); break;
                    case "name": doc.Name = Text(value, "name", problems); break;
                    case "imageBase64": doc.ImageBase64 = Text(value, "imageBase64", problems); break;
                    case "imagePath": doc.ImagePath = Text(value, "imagePath", problems); break;
                    case "images":
                        doc.Images = Images(value, problems);
                        break;
                    case "version":
                        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var version))
                        {
                            doc.Version = version;
                        }
                        else if (value.ValueKind != JsonValueKind.Null)
                        {
                            problems.Add($"version must be a whole number between 0 and {ProductEventValidator.MaxVersion}, got {Kind(value.ValueKind)}");
                        }
                        break;
                    case "occurredAt":
                        if (value.ValueKind == JsonValueKind.String && value.TryGetDateTimeOffset(out var at))
                        {
                            doc.OccurredAt = at;
                        }
                        else if (value.ValueKind != JsonValueKind.Null)
                        {
                            problems.Add("occurredAt must be a date and time (ISO 8601, e.g. 2024-05-01T12:00:00Z)");
                        }
                        break;
                    case "attributes":
                        doc.Attributes = Attributes(value, problems);
                        break;
                }
            }
            if (problems.Count == 0)
            {
                // Nothing this reader can name (the strict one still refused it): say where the strict one stopped.
                problems.Add(JsonProblem.Describe(strictError));
            }
            return EventDocumentMapper.Map(doc, source, json, imageRoot, problems);
        }
    }

    private static string? Text(JsonElement value, string field, List<string> problems)
    {
        if (value.ValueKind == JsonValueKind.String)
        {
            return value.GetString();
        }
        if (value.ValueKind != JsonValueKind.Null)
        {
            problems.Add($"{field} must be a string, got {Kind(value.ValueKind)}");
        }
        return null;
    }

    private static List<EventImage>? Images(JsonElement value, List<string> problems)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if (value.ValueKind != JsonValueKind.Array)
        {
            problems.Add($"images must be an array of base64 strings or {{\"sha256\": ...}} references, got {Kind(value.ValueKind)}");
            return null;
        }
        // The element is already parsed and bounded by the line limit; the converter keeps at most the allowed photos.
        return JsonSerializer.Deserialize<EventDocument>($"{{\"images\":{value.GetRawText()}}}")?.Images;
    }

    private static BoundedAttributes? Attributes(JsonElement value, List<string> problems)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if (value.ValueKind != JsonValueKind.Object)
        {
            problems.Add($"attributes must be an object of name: value strings, got {Kind(value.ValueKind)}");
            return null;
        }
        var attributes = new BoundedAttributes();
        foreach (var attribute in value.EnumerateObject())
        {
            if (++attributes.Total > ProductEventValidator.MaxAttributes)
            {
                continue;
            }
            if (attribute.Value.ValueKind != JsonValueKind.String)
            {
                problems.Add($"attribute '{ProductEventValidator.Excerpt(attribute.Name)}' must be a string, got {Kind(attribute.Value.ValueKind)}");
            }
            else if (!attributes.TryAdd(attribute.Name, attribute.Value.GetString()!))
            {
                attributes.Duplicate ??= attribute.Name;
            }
        }
        return attributes;
    }

    private static string Kind(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };

    /// <summary>The key a duplicate-property error names (its path's last segment), or null for any other error.</summary>
    private static string? DuplicateKey(JsonException ex)
    {
        if (!ex.Message.Contains("duplicate", StringComparison.OrdinalIgnoreCase) || ex.Path is not { Length: > 0 } path)
        {
            return null;
        }
        var key = path[(path.LastIndexOf('.') + 1)..].Trim('[', ']', '\'');
        return ProductEventValidator.Excerpt(key);
    }
}
