using Enrichment.Abstractions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Enrichment.Persistence.Images;

/// <summary>
/// Reads through any store and refuses bytes that do not hash to their key: a damaged or tampered object becomes a
/// clear error (<see cref="PhotoCorruptException"/>) for the product that needs it instead of a wrong prediction.
/// Writes pass through (the caller, <c>ImageGrain</c>, checked the hash already).
/// </summary>
public sealed class HashCheckedImageStore(IImageStore inner, ILogger? logger = null) : IImageStore
{
    private readonly ILogger _logger = logger ?? NullLogger.Instance;

    public IImageStore Inner => inner;

    public Task PutAsync(string sha256, ImageBlob photo, CancellationToken ct = default) => inner.PutAsync(sha256, photo, ct);

    public async Task<ImageBlob?> GetAsync(string sha256, CancellationToken ct = default)
    {
        var photo = await inner.GetAsync(sha256, ct);
        if (photo is not null && PhotoHash.Of(photo.Bytes) is var actual && actual != sha256)
        {
            throw new PhotoCorruptException(sha256, actual);
        }
        return photo;
    }

    public async Task<IReadOnlyDictionary<string, ImageBlob>> GetManyAsync(IReadOnlyCollection<string> sha256s, CancellationToken ct = default)
    {
        var found = await inner.GetManyAsync(sha256s, ct);
        var corrupt = found.Where(p => PhotoHash.Of(p.Value.Bytes) != p.Key).Select(p => p.Key).ToList();
        if (corrupt.Count == 0)
        {
            return found;
        }
        // One line per batch, not per photo; whoever asks for one of them alone gets the reason.
        _logger.LogWarning("{Count} stored photo(s) do not hash to their keys (corrupt), e.g. {Sha256}", corrupt.Count, corrupt[0]);
        return found.Where(p => !corrupt.Contains(p.Key)).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
    }
}
