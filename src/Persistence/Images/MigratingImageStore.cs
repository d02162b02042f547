using Enrichment.Abstractions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Enrichment.Persistence.Images;

/// <summary>
/// A photo store that took over from PostgreSQL (catalog_images): new photos go to <paramref name="store"/> only; a
/// photo it lacks is looked for in the old table, and one found there is moved (written to the store, then deleted
/// from the table), so each old photo is read from PostgreSQL once and the database shrinks to the metadata as the
/// catalogue is enriched. Nothing needs to run before the switch, and a crash between the two steps leaves a copy in
/// both, which is harmless.
/// </summary>
/// <remarks>
/// Readers racing on one old photo: one may delete the row after another missed it in the store; that other reader
/// looks in the store once more when the table has nothing (the mover wrote it there before deleting), so no photo
/// reads as missing while it is being moved. A row whose bytes do not hash to its key stays in the table and is
/// handed out as it is, for the hash check to report.
/// </remarks>
public sealed class MigratingImageStore(IImageStore store, PostgresImageStore legacy, ILogger? logger = null) : IImageStore
{
    private readonly ILogger _logger = logger ?? NullLogger.Instance;

    public Task PutAsync(string sha256, ImageBlob photo, CancellationToken ct = default) => store.PutAsync(sha256, photo, ct);

    public async Task<ImageBlob?> GetAsync(string sha256, CancellationToken ct = default) =>
        (await GetManyAsync([sha256], ct)).GetValueOrDefault(sha256);

    public async Task<IReadOnlyDictionary<string, ImageBlob>> GetManyAsync(IReadOnlyCollection<string> sha256s, CancellationToken ct = default)
    {
        var found = new Dictionary<string, ImageBlob>(await store.GetManyAsync(sha256s, ct), StringComparer.Ordinal);
        var missing = sha256s.Where(k => !found.ContainsKey(k)).Distinct().ToList();
        if (missing.Count == 0)
        {
            return found;
        }
        var old = await legacy.GetManyAsync(missing, ct);
        var movable = old.Where(p => PhotoHash.Of(p.Value.Bytes) == p.Key).ToList();
        foreach (var (sha256, photo) in movable)
        {
            await store.PutAsync(sha256, photo, ct);
        }
        await legacy.RemoveAsync(movable.Select(p => p.Key).ToList(), ct);
        if (movable.Count > 0)
        {
            _logger.LogDebug("Moved {Count} photo(s) from PostgreSQL (catalog_images) to the photo store", movable.Count);
        }
        foreach (var (sha256, photo) in old)
        {
            found[sha256] = photo;
        }
        var stillMissing = missing.Where(k => !found.ContainsKey(k)).ToList();
        if (stillMissing.Count > 0)
        {
            foreach (var (sha256, photo) in await store.GetManyAsync(stillMissing, ct))
            {
                found[sha256] = photo;
            }
        }
        return found;
    }
}
