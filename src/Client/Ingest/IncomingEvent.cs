using Enrichment.Abstractions;

namespace Enrichment.Client.Ingest;

/// <summary>
/// One event as read from a source, before validation: either a parsed event with its image bytes
/// or the reason it could not be read, plus where it came from for the rejected list.
/// </summary>
public sealed record IncomingEvent(string Source, string RawExcerpt)
{
    public ProductEvent? Event { get; init; }
    public byte[]? ImageBytes { get; init; }
    /// <summary>An image file (already resolved inside its folder) that the ingestor reads, size-checked, in place of <see cref="ImageBytes"/>.</summary>
    public string? ImageFile { get; init; }
    public string? Error { get; init; }

    public static IncomingEvent Failed(string source, string raw, string error) =>
        new(source, ProductEventValidator.Excerpt(raw, 200)) { Error = error };
}
