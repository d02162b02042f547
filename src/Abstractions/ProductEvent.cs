namespace Enrichment.Abstractions;

/// <summary>
/// A new or changed product as the catalogue team publishes it. <see cref="Version"/> orders events
/// of one product; an event whose version is not newer than the stored one changes nothing.
/// </summary>
[GenerateSerializer, Immutable, Alias("Enrichment.ProductEvent")]
public sealed record ProductEvent
{
    [Id(0)] public required string EventId { get; init; }
    [Id(1)] public required string ProductId { get; init; }
    [Id(2)] public required long Version { get; init; }
    [Id(3)] public required string Name { get; init; }
    /// <summary>The primary photo: the one captions are written from and the catalogue shows first.</summary>
    [Id(4)] public ImageRef? Image { get; init; }
    /// <summary>Known catalogue attributes, keyed by canonical attribute name (see <see cref="AttributeNames"/>).</summary>
    [Id(5)] public Dictionary<string, string> Attributes { get; init; } = new();
    [Id(6)] public DateTimeOffset OccurredAt { get; init; }
    /// <summary>Further photos of the product after the primary, in order (at most <see cref="ProductPhotos.Max"/> in all).</summary>
    [Id(7)] public List<ImageRef> MoreImages { get; init; } = [];

    /// <summary>Every photo the event carries, primary first; empty when it carries none (the product keeps its own).</summary>
    public IReadOnlyList<ImageRef> Photos => ProductPhotos.Of(Image, MoreImages);
}

/// <summary>A product's photos: a primary and up to seven more, in the order the catalogue shows them.</summary>
public static class ProductPhotos
{
    /// <summary>Photos per product: real catalogues show up to seven; one more leaves room without inviting hundreds.</summary>
    public const int Max = 8;

    public static IReadOnlyList<ImageRef> Of(ImageRef? primary, IReadOnlyList<ImageRef>? more) =>
        primary is null ? [] : [primary, .. more ?? []];

    /// <summary>Whether two photo lists are the same photos in the same order.</summary>
    public static bool Same(IReadOnlyList<ImageRef> a, IReadOnlyList<ImageRef> b) => a.SequenceEqual(b);
}

/// <summary>
/// A content-addressed image: the bytes live in the photo store keyed by <see cref="Sha256"/>.
/// <see cref="DecodePixels"/> is what decoding it costs (<see cref="DecodeCost"/>, read from its header at ingest; 0 for
/// photos stored before it was kept): the enrichment queue serves expensive photos apart, so they cannot hold up others.
/// </summary>
/// <remarks>
/// Two references are equal when their hashes are: the hash fixes the bytes and so everything else here, and a photo
/// stored before <see cref="DecodePixels"/> was kept must still be the same photo when it is sent again.
/// </remarks>
[GenerateSerializer, Immutable, Alias("Enrichment.ImageRef")]
public sealed record ImageRef(
    [property: Id(0)] string Sha256,
    [property: Id(1)] int Length,
    [property: Id(2)] string ContentType,
    [property: Id(3)] long DecodePixels = 0)
{
    public bool Equals(ImageRef? other) => other is not null && string.Equals(Sha256, other.Sha256, StringComparison.Ordinal);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Sha256 ?? "");
}
