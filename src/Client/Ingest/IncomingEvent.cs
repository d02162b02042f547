using Enrichment.Abstractions;

namespace Enrichment.Client.Ingest;

/// <summary>
/// One event as read from a source, before validation: either a parsed event with its photos
/// or the reason it could not be read, plus where it came from for the rejected list.
/// </summary>
public sealed record IncomingEvent(string Source, string RawExcerpt)
{
    public ProductEvent? Event { get; init; }
    /// <summary>The event's photos in order, primary first; none keeps the product's own.</summary>
    public IReadOnlyList<IncomingPhoto> Photos { get; init; } = [];
    public string? Error { get; init; }

    public static IncomingEvent Failed(string source, string raw, string error) =>
        new(source, ProductEventValidator.Excerpt(raw, 200)) { Error = error };
}

/// <summary>
/// One photo of an incoming event: its bytes, a file (already resolved inside its folder) that the ingestor reads
/// size-checked, or the content hash of a photo already in the store.
/// </summary>
public sealed record IncomingPhoto(byte[]? Bytes = null, string? File = null, string? StoredSha256 = null);
