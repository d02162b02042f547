using Enrichment.TestSupport;

namespace Enrichment.Catalog.Bench;

/// <summary>
/// Where the bench's silos keep photos (<c>--photos</c>): postgres (catalog_images, today's default), s3 (a
/// throwaway s3rver on 127.0.0.1: the only S3 API server this machine can install; a Node.js process writing a file
/// and a metadata file per object, so it is the slower side of the comparison, not AWS S3) or filesystem (a temp
/// folder). Removed afterwards.
/// </summary>
public sealed class BenchPhotoStore : IAsyncDisposable
{
    private readonly S3Server? _s3;
    private readonly string? _directory;

    private BenchPhotoStore(string kind, S3Server? s3, string? directory)
    {
        Kind = kind;
        _s3 = s3;
        _directory = directory;
    }

    public string Kind { get; }

    public static async Task<BenchPhotoStore> StartAsync(string kind, CancellationToken ct) => kind switch
    {
        "postgres" => new(kind, null, null),
        "s3" => new(kind, await S3Server.StartAsync(ct), null),
        "filesystem" => new(kind, null, Directory.CreateTempSubdirectory("enrichment-bench-photos-").FullName),
        _ => throw new ArgumentException($"--photos takes postgres, s3 or filesystem, not '{kind}'"),
    };

    /// <summary>The silos' Photos:* settings.</summary>
    public IReadOnlyDictionary<string, string> Settings => Kind switch
    {
        "s3" => _s3!.Settings,
        "filesystem" => new Dictionary<string, string> { ["Photos:Store"] = "filesystem", ["Photos:Directory"] = _directory! },
        _ => new Dictionary<string, string> { ["Photos:Store"] = "postgres" },
    };

    /// <summary>CPU of the store's own server process (s3rver), zero where it runs inside PostgreSQL or the silos.</summary>
    public TimeSpan Cpu => _s3?.Cpu ?? TimeSpan.Zero;

    /// <summary>Bytes on disk outside PostgreSQL (objects and their metadata files, or photo files).</summary>
    public long Bytes()
    {
        var root = _s3?.Directory ?? _directory;
        return root is null ? 0 : new DirectoryInfo(root).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length);
    }

    public async ValueTask DisposeAsync()
    {
        if (_s3 is not null)
        {
            await _s3.DisposeAsync();
        }
        if (_directory is not null)
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}
