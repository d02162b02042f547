using System.Collections.Concurrent;
using System.Text;
using Enrichment.Abstractions;

namespace Enrichment.Persistence.Images;

/// <summary>
/// Photos as files under one directory (<c>Photos:Directory</c>): <c>ab/cd/abcd…</c>, sharded by the first four hex
/// digits so that no folder grows past a few thousand entries at 10^8 photos. A file is the media type, a newline, then
/// the photo's bytes. A write goes to a temporary file in the photo's own folder, is flushed to disk and then linked to
/// its name without replacing anything (<see cref="File.Move(string, string, bool)"/> with no overwrite), so a reader
/// sees a whole photo or none, and a crash mid-write leaves only a temporary file (".tmp") that nothing reads.
/// </summary>
public sealed class FileSystemImageStore(string directory, int maxParallelReads = 16) : IImageStore
{
    /// <summary>Longest media type kept in a file's first line (a longer "first line" means the file is not one of ours).</summary>
    private const int MaxHeaderBytes = 255;

    public string Directory { get; } = Path.GetFullPath(directory);

    public async Task PutAsync(string sha256, ImageBlob photo, CancellationToken ct = default)
    {
        var path = PathOf(sha256);
        // A stat, not a read: content-addressed, so a photo present is the photo being written.
        if (File.Exists(path))
        {
            return;
        }
        var folder = Path.GetDirectoryName(path)!;
        System.IO.Directory.CreateDirectory(folder);
        var temporary = Path.Combine(folder, $".{sha256}.{Guid.NewGuid():N}.tmp");
        try
        {
            await using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous))
            {
                await file.WriteAsync(Header(photo.ContentType), ct);
                await file.WriteAsync(photo.Bytes, ct);
                // On disk before it has its name: a photo acknowledged must outlive a power cut.
                file.Flush(flushToDisk: true);
            }
            try
            {
                File.Move(temporary, path, overwrite: false);
            }
            catch (IOException) when (File.Exists(path))
            {
                // Another writer put the same photo first: the same bytes, so nothing is lost.
            }
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    public async Task<ImageBlob?> GetAsync(string sha256, CancellationToken ct = default)
    {
        byte[] content;
        try
        {
            content = await File.ReadAllBytesAsync(PathOf(sha256), ct);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        return Parse(content);
    }

    public async Task<IReadOnlyDictionary<string, ImageBlob>> GetManyAsync(IReadOnlyCollection<string> sha256s, CancellationToken ct = default)
    {
        var found = new ConcurrentDictionary<string, ImageBlob>(StringComparer.Ordinal);
        await Parallel.ForEachAsync(sha256s.Distinct(), new ParallelOptions { MaxDegreeOfParallelism = maxParallelReads, CancellationToken = ct },
            async (sha256, token) =>
            {
                if (await GetAsync(sha256, token) is { } photo)
                {
                    found[sha256] = photo;
                }
            });
        return found;
    }

    /// <summary>Where the photo <paramref name="sha256"/> lives (tests reach behind the store with it).</summary>
    public string PathOf(string sha256)
    {
        // The key becomes a path: anything but 64 hex digits could name a file outside the store.
        if (!PhotoHash.IsKey(sha256))
        {
            throw new ArgumentException($"a photo key is 64 lowercase hex digits, not '{sha256}'", nameof(sha256));
        }
        return Path.Combine(Directory, sha256[..2], sha256[2..4], sha256);
    }

    private static byte[] Header(string contentType)
    {
        var header = Encoding.ASCII.GetBytes(contentType + "\n");
        if (header.Length > MaxHeaderBytes || contentType.Contains('\n'))
        {
            throw new ArgumentException($"media type '{contentType}' cannot be stored", nameof(contentType));
        }
        return header;
    }

    /// <summary>
    /// A file that does not start with a media type line is handed out whole as unknown bytes: it cannot hash to its
    /// key, so the hash check reports it as corrupt rather than this store guessing.
    /// </summary>
    private static ImageBlob Parse(byte[] content)
    {
        var newline = Array.IndexOf(content, (byte)'\n', 0, Math.Min(content.Length, MaxHeaderBytes));
        return newline <= 0
            ? new ImageBlob(content, "application/octet-stream")
            : new ImageBlob(content[(newline + 1)..], Encoding.ASCII.GetString(content, 0, newline));
    }
}
