namespace Enrichment.Abstractions;

/// <summary>
/// The cluster's door to its photo store: photo bytes by content hash (the lowercase hex SHA-256 of the bytes). A
/// pool of stateless workers on every silo, one grain for every photo (<see cref="ImageGrains.Photos"/>): a grain per
/// hash would make an activation per photo ingested.
/// </summary>
[Alias("Enrichment.IImageGrain")]
public interface IImageGrain : IGrainWithIntegerKey
{
    /// <summary>Stores the bytes once under their hash; idempotent. Throws when the bytes do not hash to <paramref name="sha256"/>.</summary>
    [Alias("Put")] Task Put(string sha256, byte[] bytes, string contentType);

    [Alias("Get")] Task<ImageBlob?> Get(string sha256);
}

public static class ImageGrains
{
    public static IImageGrain Photos(this IGrainFactory grains) => grains.GetGrain<IImageGrain>(0);
}

[GenerateSerializer, Immutable, Alias("Enrichment.ImageBlob")]
public sealed record ImageBlob(
    [property: Id(0)] byte[] Bytes,
    [property: Id(1)] string ContentType);
