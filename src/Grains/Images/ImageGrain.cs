using System.Security.Cryptography;
using Enrichment.Abstractions;
using Enrichment.Persistence.Images;
using Orleans.Concurrency;

namespace Enrichment.Grains.Images;

/// <summary>
/// The cluster's door to the photo store for callers outside it (ingest, the API, training exports): checks that
/// bytes hash to their key, then writes them once (insert-if-absent, no read first). It keeps nothing, so it runs
/// on the silo that received the call.
/// </summary>
[StatelessWorker]
public sealed class ImageGrain(IImageStore photos) : Grain, IImageGrain
{
    public Task Put(byte[] bytes, string contentType)
    {
        if (bytes.Length == 0)
        {
            throw new ArgumentException("image is empty");
        }
        var key = this.GetPrimaryKeyString();
        var actual = Convert.ToHexStringLower(SHA256.HashData(bytes));
        if (actual != key)
        {
            throw new ArgumentException($"image bytes hash to {actual}, not to the key {key}");
        }
        return photos.PutAsync(key, new ImageBlob(bytes, contentType));
    }

    public Task<ImageBlob?> Get() => photos.GetAsync(this.GetPrimaryKeyString());
}
