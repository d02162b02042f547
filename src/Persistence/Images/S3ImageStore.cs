using System.Collections.Concurrent;
using System.Net;
using Amazon;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Enrichment.Abstractions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;

namespace Enrichment.Persistence.Images;

/// <summary>
/// Photos in an S3-compatible object store, one object per photo under <c>photos/&lt;sha256&gt;</c>, its media type
/// as the object's Content-Type. Addressed path-style with checksums only where the API requires them, so MinIO,
/// Ceph, s3rver and the like answer as AWS does.
/// </summary>
/// <remarks>
/// Written once without reading first: a PUT with <c>If-None-Match: *</c>, which AWS S3, MinIO and Ceph answer with
/// 412 when the object exists (taken as success). A server that ignores the header overwrites the object with the
/// same bytes (the key is their hash), which costs an upload and changes nothing; a server that refuses it (501) gets
/// plain PUTs from then on. A HEAD first would add a round trip to every new photo, the common case at ingest.
/// </remarks>
public sealed class S3ImageStore : IImageStore, IDisposable
{
    private const string KeyPrefix = "photos/";
    private readonly IAmazonS3 _client;
    private readonly string _bucket;
    private readonly ResiliencePipeline _retries;
    private readonly int _maxParallelReads;
    private readonly ILogger _logger;
    private volatile bool _conditionalPutsRefused;

    public S3ImageStore(IAmazonS3 client, string bucket, ResiliencePipeline retries, int maxParallelReads = 16, ILogger? logger = null)
    {
        _client = client;
        _bucket = bucket;
        _retries = retries;
        _maxParallelReads = maxParallelReads;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>A client for <paramref name="options"/>: path-style, checksums when required, no retries of its own.</summary>
    public static AmazonS3Client CreateClient(S3PhotoOptions options, HttpClientFactory? http = null)
    {
        var config = new AmazonS3Config
        {
            ForcePathStyle = true,
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
            // S3Retries is the one retry layer, with one budget; the SDK's would multiply it.
            MaxErrorRetry = 0,
            // Past the pipeline's own request timeout, so that the pipeline's fires first and is retried.
            Timeout = options.RequestTimeout + TimeSpan.FromSeconds(5),
        };
        if (string.IsNullOrWhiteSpace(options.ServiceUrl))
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(options.Region);
        }
        else
        {
            config.ServiceURL = options.ServiceUrl;
            config.AuthenticationRegion = options.Region;
        }
        if (http is not null)
        {
            config.HttpClientFactory = http;
        }
        return new AmazonS3Client(new BasicAWSCredentials(options.AccessKey, options.SecretKey), config);
    }

    public static string KeyOf(string sha256) =>
        PhotoHash.IsKey(sha256) ? KeyPrefix + sha256 : throw new ArgumentException($"a photo key is 64 lowercase hex digits, not '{sha256}'", nameof(sha256));

    public async Task PutAsync(string sha256, ImageBlob photo, CancellationToken ct = default)
    {
        var key = KeyOf(sha256);
        await _retries.ExecuteAsync(async token =>
        {
            var conditional = !_conditionalPutsRefused;
            try
            {
                await _client.PutObjectAsync(Put(key, photo, conditional), token);
            }
            catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.PreconditionFailed)
            {
                // Already stored: the same bytes, as the key is their hash.
            }
            catch (AmazonS3Exception e) when (conditional && e.StatusCode == HttpStatusCode.NotImplemented)
            {
                _conditionalPutsRefused = true;
                _logger.LogWarning("The object store refuses conditional writes (If-None-Match); photos are written with plain PUTs from now on");
                await _client.PutObjectAsync(Put(key, photo, conditional: false), token);
            }
        }, ct);
    }

    private PutObjectRequest Put(string key, ImageBlob photo, bool conditional) => new()
    {
        BucketName = _bucket,
        Key = key,
        InputStream = new MemoryStream(photo.Bytes, writable: false),
        ContentType = photo.ContentType,
        // aws-chunked bodies are an AWS extension some S3-compatible servers store verbatim; a photo is small enough
        // to be signed whole.
        UseChunkEncoding = false,
        IfNoneMatch = conditional ? "*" : null,
    };

    public Task<ImageBlob?> GetAsync(string sha256, CancellationToken ct = default)
    {
        var key = KeyOf(sha256);
        return _retries.ExecuteAsync(async token =>
        {
            try
            {
                using var response = await _client.GetObjectAsync(new GetObjectRequest { BucketName = _bucket, Key = key }, token);
                using var bytes = new MemoryStream(response.ContentLength > 0 ? (int)response.ContentLength : 0);
                await response.ResponseStream.CopyToAsync(bytes, token);
                return new ImageBlob(bytes.ToArray(), response.Headers.ContentType ?? "application/octet-stream");
            }
            catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound && e.ErrorCode == "NoSuchKey")
            {
                // Only a missing object is "not stored"; a missing bucket is a configuration error and stays one.
                return (ImageBlob?)null;
            }
        }, ct).AsTask();
    }

    /// <summary>One GET per photo, at most <c>Photos:MaxParallelReads</c> at once (S3 has no multi-object read).</summary>
    public async Task<IReadOnlyDictionary<string, ImageBlob>> GetManyAsync(IReadOnlyCollection<string> sha256s, CancellationToken ct = default)
    {
        var found = new ConcurrentDictionary<string, ImageBlob>(StringComparer.Ordinal);
        await Parallel.ForEachAsync(sha256s.Distinct(), new ParallelOptions { MaxDegreeOfParallelism = _maxParallelReads, CancellationToken = ct },
            async (sha256, token) =>
            {
                if (await GetAsync(sha256, token) is { } photo)
                {
                    found[sha256] = photo;
                }
            });
        return found;
    }

    public void Dispose() => _client.Dispose();
}
