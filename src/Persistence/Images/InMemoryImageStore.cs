using System.Collections.Concurrent;
using Enrichment.Abstractions;

namespace Enrichment.Persistence.Images;

/// <summary>The embedded default's photos, in one process's memory (a demo catalogue's thumbnails).</summary>
public sealed class InMemoryImageStore : IImageStore
{
    private readonly ConcurrentDictionary<string, ImageBlob> _photos = new(StringComparer.Ordinal);

    public Task PutAsync(string sha256, ImageBlob photo, CancellationToken ct = default)
    {
        _photos.TryAdd(sha256, photo);
        return Task.CompletedTask;
    }

    public Task<ImageBlob?> GetAsync(string sha256, CancellationToken ct = default) => Task.FromResult(_photos.GetValueOrDefault(sha256));

    public Task<IReadOnlyDictionary<string, ImageBlob>> GetManyAsync(IReadOnlyCollection<string> sha256s, CancellationToken ct = default)
    {
        IReadOnlyDictionary<string, ImageBlob> found = sha256s.Distinct()
            .Select(key => (Key: key, Photo: _photos.GetValueOrDefault(key)))
            .Where(p => p.Photo is not null)
            .ToDictionary(p => p.Key, p => p.Photo!, StringComparer.Ordinal);
        return Task.FromResult(found);
    }
}
