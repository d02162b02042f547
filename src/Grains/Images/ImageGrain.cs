using System.Security.Cryptography;
using Enrichment.Abstractions;

namespace Enrichment.Grains.Images;

[GenerateSerializer, Alias("Enrichment.ImageState")]
public sealed class ImageState
{
    [Id(0)] public ImageBlob? Blob { get; set; }
}

// A photo is written once and read once or twice soon after (enrichment, retraining), then rarely: an idle activation
// would only hold its bytes in memory. Live activations are bounded by ingest rate x this age, not by the catalogue.
[CollectionAgeLimit(Minutes = 2)]
public sealed class ImageGrain(
    [PersistentState("image", GrainStorageNames.Catalog)] IPersistentState<ImageState> state)
    : Grain, IImageGrain
{
    public async Task Put(byte[] bytes, string contentType)
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
        if (state.State.Blob is not null)
        {
            return; // Same key, same bytes: content addressing makes a re-upload a no-op.
        }
        state.State.Blob = new ImageBlob(bytes, contentType);
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            // Otherwise the next Put would find the blob in memory and skip a write that never happened.
            state.State.Blob = null;
            DeactivateOnIdle();
            throw;
        }
    }

    public Task<ImageBlob?> Get() => Task.FromResult(state.State.Blob);
}
