using Enrichment.Abstractions;

namespace Enrichment.Client.Ingest;

/// <summary>Turns a parsed JSON document into an <see cref="IncomingEvent"/>, resolving its image.</summary>
public static class EventDocumentMapper
{
    /// <param name="imageRoot">Folder that <c>imagePath</c> is relative to; null where paths are not allowed (HTTP).</param>
    /// <param name="readProblems">What the reader already found wrong (a field of the wrong type), listed first.</param>
    /// <remarks>
    /// A refused event lists every problem found (up to <see cref="ProductEventValidator.MaxReportedProblems"/>): its own
    /// reading problems, then the validator's. It keeps its event attached, so the rejected list still names the product
    /// and event ids that could be read, whatever else was wrong.
    /// </remarks>
    public static IncomingEvent Map(EventDocument doc, string source, string raw, string? imageRoot, IReadOnlyList<string>? readProblems = null)
    {
        var problems = new List<string>(readProblems ?? []);
        if (doc.Version is null && !problems.Any(p => p.StartsWith("version ", StringComparison.Ordinal)))
        {
            problems.Add("version is required");
        }
        if ((doc.Attributes as BoundedAttributes)?.Problem is { } attributes)
        {
            problems.Add(attributes);
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
                problems.Add("imageBase64 is not valid base64");
            }
        }
        else if (!string.IsNullOrEmpty(doc.ImagePath))
        {
            if (imageRoot is null)
            {
                problems.Add("imagePath is only accepted in files; send imageBase64");
            }
            else if (ImagePaths.ResolveInside(imageRoot, doc.ImagePath) is not { } resolved)
            {
                problems.Add($"imagePath '{ProductEventValidator.Excerpt(doc.ImagePath)}' points outside {imageRoot}");
            }
            else if (!File.Exists(resolved))
            {
                problems.Add($"image file not found: {ProductEventValidator.Excerpt(doc.ImagePath, 120)}");
            }
            else
            {
                imageFile = resolved; // read by the ingestor, which checks its size first
            }
        }

        var productEvent = new ProductEvent
        {
            EventId = doc.EventId ?? "",
            ProductId = doc.ProductId ?? "",
            Version = doc.Version ?? 0,
            Name = doc.Name ?? "",
            // A plain copy: the bounded reader's own type is not one Orleans can serialise.
            Attributes = doc.Attributes is null ? new() : new Dictionary<string, string>(doc.Attributes, StringComparer.Ordinal),
            OccurredAt = doc.OccurredAt ?? DateTimeOffset.UtcNow,
        };
        // Refused with the event attached, so the rejected list still names its product and event ids. An event its
        // reader found nothing wrong with is validated by the ingestor (after its image file is read and checked).
        return new IncomingEvent(source, ProductEventValidator.Excerpt(raw, 200))
        {
            Event = productEvent, ImageBytes = image, ImageFile = imageFile,
            Error = problems.Count > 0 ? string.Join("; ", ProductEventValidator.Validate(productEvent, problems)) : null,
        };
    }
}
