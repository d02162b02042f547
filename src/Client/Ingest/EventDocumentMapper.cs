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
        var photos = new List<IncomingPhoto>();
        if (doc.Images is not null && (!string.IsNullOrEmpty(doc.ImageBase64) || !string.IsNullOrEmpty(doc.ImagePath)))
        {
            problems.Add("send either images or imageBase64/imagePath, not both");
        }
        else if (doc.Images is { } images)
        {
            problems.AddRange((images as BoundedImages)?.Problems ?? []);
            foreach (var (image, index) in images.Select((image, index) => (image, index)))
            {
                if (Photo(image, $"images[{index}]", imageRoot, problems) is { } photo)
                {
                    photos.Add(photo);
                }
            }
        }
        else if (!string.IsNullOrEmpty(doc.ImageBase64) || !string.IsNullOrEmpty(doc.ImagePath))
        {
            var single = new EventImage(Base64: NullIfEmpty(doc.ImageBase64), Path: string.IsNullOrEmpty(doc.ImageBase64) ? doc.ImagePath : null);
            if (Photo(single, single.Base64 is not null ? "imageBase64" : "imagePath", imageRoot, problems) is { } photo)
            {
                photos.Add(photo);
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
            Event = productEvent, Photos = photos,
            Error = problems.Count > 0 ? string.Join("; ", ProductEventValidator.Validate(productEvent, problems)) : null,
        };
    }

    /// <summary>One photo as sent, or null with the problem noted; <paramref name="field"/> names it in the problem.</summary>
    private static IncomingPhoto? Photo(EventImage image, string field, string? imageRoot, List<string> problems)
    {
        if (image.Base64 is { } base64)
        {
            try
            {
                return new IncomingPhoto(Bytes: Convert.FromBase64String(base64));
            }
            catch (FormatException)
            {
                problems.Add($"{field} is not valid base64");
                return null;
            }
        }
        if (image.Sha256 is { } sha256)
        {
            return new IncomingPhoto(StoredSha256: sha256); // checked against the store by the ingestor
        }
        var path = image.Path ?? "";
        if (imageRoot is null)
        {
            problems.Add($"{field}: paths are only accepted in files; send the photo as base64");
        }
        else if (ImagePaths.ResolveInside(imageRoot, path) is not { } resolved)
        {
            problems.Add($"{field} '{ProductEventValidator.Excerpt(path)}' points outside {imageRoot}");
        }
        else if (!File.Exists(resolved))
        {
            problems.Add($"image file not found: {ProductEventValidator.Excerpt(path, 120)}");
        }
        else
        {
            return new IncomingPhoto(File: resolved); // read by the ingestor, which checks its size first
        }
        return null;
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
