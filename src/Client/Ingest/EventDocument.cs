using System.Text.Json.Serialization;

namespace Enrichment.Client.Ingest;

/// <summary>
/// The JSON shape of a product event in NDJSON files and HTTP bodies. One photo travels as base64
/// (<see cref="ImageBase64"/>), or, in files only, as a path relative to the file (<see cref="ImagePath"/>); several
/// travel in <see cref="Images"/>, each base64, a reference to a photo already stored, or (in files) a path.
/// </summary>
public sealed class EventDocument
{
    [JsonPropertyName("eventId")] public string? EventId { get; set; }
    [JsonPropertyName("productId")] public string? ProductId { get; set; }
    [JsonPropertyName("version")] public long? Version { get; set; }
    [JsonPropertyName("name")] public string? Name { get; set; }
    [JsonPropertyName("attributes"), JsonConverter(typeof(BoundedAttributesConverter))] public Dictionary<string, string>? Attributes { get; set; }
    [JsonPropertyName("imageBase64")] public string? ImageBase64 { get; set; }
    [JsonPropertyName("imagePath")] public string? ImagePath { get; set; }
    /// <summary>Up to <see cref="Enrichment.Abstractions.ProductPhotos.Max"/> photos in order, the first the primary; instead of imageBase64/imagePath.</summary>
    [JsonPropertyName("images"), JsonConverter(typeof(EventImagesConverter))] public List<EventImage>? Images { get; set; }
    [JsonPropertyName("occurredAt")] public DateTimeOffset? OccurredAt { get; set; }
}
