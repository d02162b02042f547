using Enrichment.Abstractions;

namespace Enrichment.Client.Ingest;

/// <summary>Turns a parsed JSON document into an <see cref="IncomingEvent"/>, resolving its image.</summary>
public static class EventDocumentMapper
{
    /// <param name="imageRoot">Folder that <c>imagePath</c> is relative to; null where paths are not allowed (HTTP).</param>
    public static IncomingEvent Map(EventDocument doc, string source, string raw, string? imageRoot)
    {
        if (doc.Version is null)
        {
            return IncomingEvent.Failed(source, raw, "version is required");
        }
        byte[]? image = null;
        string? imageFile = null;
        if (!string.IsNullOrEmpty(doc.ImageBase64))
        {
            try
            {
                image = Convert.FromBase64String(doc.ImageBase64);
            }
            catch (FormatException)
            {
                return IncomingEvent.Failed(source, raw, "imageBase64 is not valid base64");
            }
        }
        else if (!string.IsNullOrEmpty(doc.ImagePath))
        {
            if (imageRoot is null)
            {
                return IncomingEvent.Failed(source, raw, "imagePath is only accepted in files; send imageBase64");
            }
            var resolved = ImagePaths.ResolveInside(imageRoot, doc.ImagePath);
            if (resolved is null)
            {
                return IncomingEvent.Failed(source, raw, $"imagePath '{ProductEventValidator.Excerpt(doc.ImagePath)}' points outside {imageRoot}");
            }
            if (!File.Exists(resolved))
            {
                return IncomingEvent.Failed(source, raw, $"image file not found: {ProductEventValidator.Excerpt(doc.ImagePath, 120)}");
            }
            imageFile = resolved; // read by the ingestor, which checks its size first
        }

        var productEvent = new ProductEvent
        {
            EventId = doc.EventId ?? "",
            ProductId = doc.ProductId ?? "",
            Version = doc.Version.Value,
            Name = doc.Name ?? "",
            // A plain copy: the bounded reader's own type is not one Orleans can serialise.
            Attributes = doc.Attributes is null ? new() : new Dictionary<string, string>(doc.Attributes, StringComparer.Ordinal),
            OccurredAt = doc.OccurredAt ?? DateTimeOffset.UtcNow,
        };
        // Refused with the event attached, so the rejected list still names its product and event ids.
        return new IncomingEvent(source, ProductEventValidator.Excerpt(raw, 200))
        {
            Event = productEvent, ImageBytes = image, ImageFile = imageFile, Error = (doc.Attributes as BoundedAttributes)?.Problem,
        };
    }
}
