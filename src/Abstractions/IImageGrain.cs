namespace Enrichment.Abstractions;

/// <summary>Content-addressed image bytes, keyed by the lowercase hex SHA-256 of the bytes.</summary>
[Alias("Enrichment.IImageGrain")]
public interface IImageGrain : IGrainWithStringKey
{
    /// <summary>Stores the bytes; idempotent. Throws when the bytes do not hash to the key.</summary>
    [Alias("Put")] Task Put(byte[] bytes, string contentType);

    [Alias("Get")] Task<ImageBlob?> Get();
}

[GenerateSerializer, Immutable, Alias("Enrichment.ImageBlob")]
public sealed record ImageBlob(
    [property: Id(0)] byte[] Bytes,
    [property: Id(1)] string ContentType);
