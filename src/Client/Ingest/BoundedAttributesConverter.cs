using System.Text.Json;
using System.Text.Json.Serialization;
using Enrichment.Abstractions;

namespace Enrichment.Client.Ingest;

/// <summary>An event's attributes as read: at most the allowed number kept, plus what the reader saw beyond them.</summary>
public sealed class BoundedAttributes : Dictionary<string, string>
{
    public BoundedAttributes() : base(StringComparer.Ordinal)
    {
    }

    /// <summary>Every name in the object, kept or not.</summary>
    public int Total { get; set; }

    /// <summary>The first name given more than once, if any.</summary>
    public string? Duplicate { get; set; }

    /// <summary>Why these attributes are refused before any name is validated, or null.</summary>
    public string? Problem =>
        Total > ProductEventValidator.MaxAttributes ? $"at most {ProductEventValidator.MaxAttributes} attributes are allowed (got {Total})"
        : Duplicate is not null ? $"attribute '{ProductEventValidator.Excerpt(Duplicate)}' appears more than once"
        : null;
}

/// <summary>
/// Reads an event's "attributes" object without trusting it: past <see cref="ProductEventValidator.MaxAttributes"/>
/// entries names are only counted, never kept (a million names cost no million-entry dictionary), and a name given
/// twice is noted instead of the last one silently winning. The mapper turns either into the event's rejection.
/// </summary>
public sealed class BoundedAttributesConverter : JsonConverter<Dictionary<string, string>>
{
    public override Dictionary<string, string> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("attributes must be an object of name: value strings");
        }
        var attributes = new BoundedAttributes();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var name = reader.GetString()!;
            reader.Read();
            if (++attributes.Total > ProductEventValidator.MaxAttributes)
            {
                reader.Skip();
                continue;
            }
            if (reader.TokenType != JsonTokenType.String)
            {
                throw new JsonException($"attribute '{ProductEventValidator.Excerpt(name)}' must be a string");
            }
            if (!attributes.TryAdd(name, reader.GetString()!))
            {
                attributes.Duplicate ??= name;
            }
        }
        return attributes;
    }

    public override void Write(Utf8JsonWriter writer, Dictionary<string, string> value, JsonSerializerOptions options) =>
        JsonSerializer.Serialize(writer, value, options);
}
