using System.Security.Cryptography;
using Enrichment.Abstractions;

namespace Enrichment.Serving.Bench;

/// <summary>The products every serving run ingests: the sample photos stored once, and events that point at them.</summary>
public static class BenchCatalog
{
    public static Task<ImageRef[]> StoreImagesAsync(IGrainFactory grains, IReadOnlyList<byte[]> images) =>
        Task.WhenAll(images.Select(async bytes =>
        {
            var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
            await grains.Photos().Put(sha, bytes, "image/jpeg");
            return new ImageRef(sha, bytes.Length, "image/jpeg");
        }));

    /// <summary>Like the real catalogue: type and colour known, brand left to the model.</summary>
    public static ProductEvent Event(string productId, ImageRef image) => new()
    {
        EventId = productId + "-e1",
        ProductId = productId,
        Version = 1,
        Name = "Bench product",
        Image = image,
        Attributes = new() { [AttributeNames.Category] = "Apparel", [AttributeNames.Type] = "Tshirts", [AttributeNames.Colour] = "Black" },
    };
}
