using System.ComponentModel.DataAnnotations;

namespace Enrichment.Persistence.Images;

/// <summary>
/// Where photos live (section <c>Photos</c>; environment <c>ENRICHMENT_Photos__Store</c>, <c>ENRICHMENT_Photos__S3__Bucket</c>, ...).
/// </summary>
public sealed class PhotoStoreOptions
{
    public const string Section = "Photos";

    /// <summary>
    /// <c>postgres</c> (table catalog_images), <c>s3</c> (an S3-compatible object store), <c>filesystem</c>
    /// (<see cref="Directory"/>) or <c>memory</c> (one process: tests and the embedded default). Empty: postgres on a
    /// PostgreSQL catalogue, memory on the embedded one.
    /// </summary>
    public string? Store { get; set; }

    /// <summary>The folder of the filesystem store (shared by every silo that stores or reads photos).</summary>
    public string? Directory { get; set; }

    /// <summary>Photos a batch read (the enrichment pump's) fetches at once from an object store or folder.</summary>
    [Range(1, 256)]
    public int MaxParallelReads { get; set; } = 16;

    public S3PhotoOptions S3 { get; set; } = new();
}

/// <summary>An S3-compatible object store (AWS S3, MinIO, Ceph RGW, ...), addressed path-style.</summary>
public sealed class S3PhotoOptions
{
    /// <summary>The endpoint, e.g. http://minio:9000; empty: AWS S3 in <see cref="Region"/>.</summary>
    public string? ServiceUrl { get; set; }

    /// <summary>The bucket photos are written to; it must exist (the store never creates one).</summary>
    public string? Bucket { get; set; }

    public string? AccessKey { get; set; }
    public string? SecretKey { get; set; }

    /// <summary>The region requests are signed for (most non-AWS servers accept any; AWS needs the bucket's).</summary>
    public string Region { get; set; } = "us-east-1";

    /// <summary>One request's limit; a slower one is abandoned and retried within <see cref="RetryBudget"/>.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Retries after a transient failure (5xx, throttling, a dropped connection, a timed-out request).</summary>
    [Range(0, 20)]
    public int MaxRetries { get; set; } = 4;

    /// <summary>The first retry's delay; each next one doubles, with jitter.</summary>
    public TimeSpan RetryInitialDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>All attempts of one operation together, retries and their delays included.</summary>
    public TimeSpan RetryBudget { get; set; } = TimeSpan.FromSeconds(60);
}
