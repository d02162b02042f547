using System.Collections.Concurrent;
using Enrichment.Abstractions;

namespace Enrichment.Grains.Serving;

/// <summary>
/// Photos of the work this silo has claimed, read in one batch by the enrichment pump and handed to the silo's model
/// grain, so each photo crosses the network once per prediction (store to model silo) and not through the product
/// grain. Holds only what is claimed and not yet finished: at most the pump's lanes x claim size photos.
/// </summary>
public sealed class ClaimedPhotos
{
    private readonly ConcurrentDictionary<string, ImageBlob> _photos = new(StringComparer.Ordinal);

    public void Hold(IReadOnlyDictionary<string, ImageBlob> photos)
    {
        foreach (var (sha256, photo) in photos)
        {
            _photos[sha256] = photo;
        }
    }

    public void Release(IEnumerable<string> sha256s)
    {
        foreach (var sha256 in sha256s)
        {
            _photos.TryRemove(sha256, out _);
        }
    }

    public ImageBlob? Find(string sha256) => _photos.GetValueOrDefault(sha256);
}
