using System.Security.Cryptography;
using Enrichment.Abstractions;

using Enrichment.TestSupport;

namespace Enrichment.Grains.Tests.Serving;

public static class SampleImages
{
    public static string Folder => RepoPaths.SampleImages;

    public static IReadOnlyList<string> Paths(int count) =>
        Directory.GetFiles(Folder, "*.jpg").Order(StringComparer.Ordinal).Take(count).ToList();

    /// <summary>Stores the bytes in the image grain and returns an event that references them.</summary>
    public static async Task<ProductEvent> StoreAsync(IGrainFactory grains, string productId, byte[] bytes)
    {
        var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
        await grains.Photos().Put(sha, bytes, "image/jpeg");
        return TestEvents.Product(productId, 1) with { Image = new ImageRef(sha, bytes.Length, "image/jpeg") };
    }
}
