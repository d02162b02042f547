using System.Text.Json;
using System.Text.Json.Serialization;
using Enrichment.Abstractions;

namespace Enrichment.Client.Ingest;

/// <summary>
/// One entry of an event's <c>images</c> array as sent: a base64 string (the photo itself), an object naming a
/// photo already in the store by its content hash (<c>{"sha256": "…"}</c>), or, in files only, an object with a path
/// relative to the file (<c>{"path": "…"}</c>).
/// </summary>
public sealed record EventImage(string? Base64 = null, string? Sha256 = null, string? Path = null);

/// <summary>An event's photos as read: at most <see cref="ProductPhotos.Max"/> kept, plus how many were given and what was wrong.</summary>
public sealed class BoundedImages : List<EventImage>
{
    public int Total { get; set; }
    public List<string> Problems { get; } = new();
}

/// <summary>
/// Reads <c>images</c> without trusting its length: past <see cref="ProductPhotos.Max"/> entries are only counted and
/// skipped, so a sender's thousand photos cost no thousand decodes; each entry's shape problem is noted, not thrown.
/// </summary>
public sealed class EventImagesConverter : JsonConverter<List<EventImage>>
{
    public override List<EventImage> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException("images must be an array of base64 strings or {\"sha256\": ...} references");
        }
        var images = new BoundedImages();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            var index = images.Total++;
            if (index >= ProductPhotos.Max)
            {
                reader.Skip();
                continue;
            }
            if (reader.TokenType == JsonTokenType.String)
            {
                images.Add(new EventImage(Base64: reader.GetString()));
                continue;
            }
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                images.Problems.Add($"images[{index}] must be a base64 string or an object with sha256 (or path, in files)");
                reader.Skip();
                continue;
            }
            string? sha256 = null, path = null;
            while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
            {
                var key = reader.GetString();
                reader.Read();
                switch (key)
                {
                    case "sha256" when reader.TokenType == JsonTokenType.String && sha256 is null: sha256 = reader.GetString(); break;
                    case "path" when reader.TokenType == JsonTokenType.String && path is null: path = reader.GetString(); break;
                    default:
                        images.Problems.Add($"images[{index}] has an unexpected or repeated key '{ProductEventValidator.Excerpt(key ?? "")}' (sha256 or path, strings)");
                        reader.Skip();
                        break;
                }
            }
            if ((sha256 is null) == (path is null))
            {
                images.Problems.Add($"images[{index}] must name either sha256 or path");
                continue;
            }
            images.Add(new EventImage(Sha256: sha256, Path: path));
        }
        if (images.Total > ProductPhotos.Max)
        {
            images.Problems.Add($"at most {ProductPhotos.Max} photos per product (got {images.Total})");
        }
        return images;
    }

    public override void Write(Utf8JsonWriter writer, List<EventImage> value, JsonSerializerOptions options) =>
        throw new NotSupportedException("events are only read");
}
