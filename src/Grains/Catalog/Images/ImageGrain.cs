using System.Security.Cryptography;
using Enrichment.Abstractions;
using Enrichment.Persistence.Images;
using Microsoft.Extensions.Logging;
using Orleans.Concurrency;

namespace Enrichment.Grains.Images;

/// <summary>
/// The cluster's door to the photo store for callers outside it (ingest, the API, training exports): checks that
/// bytes hash to their key, then writes them once (insert-if-absent, no read first). It keeps nothing, so any silo's
/// local workers serve any photo.
/// </summary>
[StatelessWorker]
public sealed class ImageGrain(IImageStore photos, ILogger<ImageGrain> logger) : Grain, IImageGrain
{
    public Task Put(string sha256, byte[] bytes, string contentType)
    {
        if (bytes.Length == 0)
        {
            throw new ArgumentException("image is empty");
        }
        var actual = Convert.ToHexStringLower(SHA256.HashData(bytes));
        if (actual != sha256)
        {
            throw new ArgumentException($"image bytes hash to {actual}, not to the key {sha256}");
        }
        return photos.PutAsync(sha256, new ImageBlob(bytes, contentType));
    }

    /// <remarks>
    /// A photo whose stored bytes are corrupt reads as missing here (logged): callers outside the cluster (the API, the
    /// training export) cannot use it either way, and the product that refers to it says why once it is enriched.
    /// </remarks>
    public async Task<ImageBlob?> Get(string sha256)
    {
        try
        {
            return await photos.GetAsync(sha256);
        }
        catch (PhotoCorruptException corrupt)
        {
            logger.LogWarning("{Error}", corrupt.Message);
            return null;
        }
    }
}
