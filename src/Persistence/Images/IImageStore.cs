using Enrichment.Abstractions;

namespace Enrichment.Persistence.Images;

/// <summary>
/// Photo bytes by content hash (lowercase hex SHA-256): written once (insert-if-absent, never read first) by whoever
/// brings a new photo, and read by the model silos that predict from it. A product only refers to its photo by hash.
/// Implementations: PostgreSQL, an S3-compatible object store, a directory, memory (<see cref="PhotoStoreRegistration"/>
/// picks one); every one is read through <see cref="HashCheckedImageStore"/>, so bytes that no longer hash to their key
/// are never handed out.
/// </summary>
public interface IImageStore
{
    /// <summary>Stores <paramref name="photo"/> under <paramref name="sha256"/> (the caller checked the hash); a photo already stored stays as it is.</summary>
    Task PutAsync(string sha256, ImageBlob photo, CancellationToken ct = default);

    /// <summary>The photo, or null when none is stored under <paramref name="sha256"/>.</summary>
    /// <exception cref="PhotoCorruptException">Bytes are stored but do not hash to <paramref name="sha256"/> (checked stores).</exception>
    Task<ImageBlob?> GetAsync(string sha256, CancellationToken ct = default);

    /// <summary>
    /// The photos of a claimed batch in one read; hashes not stored are missing from the answer, and so (checked
    /// stores) are hashes whose stored bytes are corrupt: <see cref="GetAsync"/> on one of them says why.
    /// </summary>
    Task<IReadOnlyDictionary<string, ImageBlob>> GetManyAsync(IReadOnlyCollection<string> sha256s, CancellationToken ct = default);
}
