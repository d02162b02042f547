using System.Net;
using System.Text;
using Enrichment.Persistence.Images;
using Enrichment.TestSupport;

namespace Enrichment.Persistence.Tests.Images;

/// <summary>What only the object store does: conditional writes, its retry budget, telling a missing photo from a missing bucket.</summary>
[Trait("Category", "Processes")]
public sealed class S3ImageStoreBehaviourTests(S3Fixture s3) : IClassFixture<S3Fixture>
{
    private static (string Sha256, Abstractions.ImageBlob Photo) NewPhoto()
    {
        var bytes = Guid.NewGuid().ToByteArray().Concat(new byte[500]).ToArray();
        return (PhotoHash.Of(bytes), new Abstractions.ImageBlob(bytes, "image/jpeg"));
    }

    private static HttpResponseMessage S3Error(HttpStatusCode status, string code) => new(status)
    {
        Content = new StringContent($"<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>{code}</Code><Message>{code}</Message></Error>",
            Encoding.UTF8, "application/xml"),
    };

    [Fact]
    public async Task A_put_is_conditional_path_style_and_under_a_key_named_by_the_hash()
    {
        var http = new InterceptingHttp();
        using var store = s3.NewStore(http: http);
        var (key, photo) = NewPhoto();

        await store.PutAsync(key, photo);

        var put = Assert.Single(http.Requests, r => r.Method == HttpMethod.Put);
        Assert.Equal("*", put.Headers.IfNoneMatch.Single().Tag);
        Assert.Equal($"/{S3Server.Bucket}/photos/{key}", put.RequestUri!.AbsolutePath);
        Assert.Equal("127.0.0.1", put.RequestUri.Host);
        // Checksums only where required: none on a plain PUT, so servers that do not know them store the body as sent.
        Assert.DoesNotContain(put.Headers, h => h.Key.StartsWith("x-amz-checksum", StringComparison.OrdinalIgnoreCase)
                                               || h.Key.Equals("x-amz-sdk-checksum-algorithm", StringComparison.OrdinalIgnoreCase));
        Assert.Equal(photo.Bytes, (await store.GetAsync(key))!.Bytes);
    }

    [Fact]
    public async Task A_412_answer_to_the_conditional_put_means_already_stored()
    {
        var http = new InterceptingHttp((request, _) => request.Method == HttpMethod.Put ? S3Error(HttpStatusCode.PreconditionFailed, "PreconditionFailed") : null);
        using var store = s3.NewStore(http: http);
        var (key, photo) = NewPhoto();

        await store.PutAsync(key, photo);

        Assert.Equal(1, http.Count);
    }

    [Fact]
    public async Task A_server_that_refuses_conditional_puts_gets_plain_ones()
    {
        var http = new InterceptingHttp((request, _) =>
            request.Method == HttpMethod.Put && request.Headers.IfNoneMatch.Count > 0 ? S3Error(HttpStatusCode.NotImplemented, "NotImplemented") : null);
        using var store = s3.NewStore(http: http);
        var (key, photo) = NewPhoto();
        var (second, secondPhoto) = NewPhoto();

        await store.PutAsync(key, photo);
        await store.PutAsync(second, secondPhoto);

        Assert.Equal(photo.Bytes, (await store.GetAsync(key))!.Bytes);
        // The refusal is learnt once: the second photo goes out plain at the first try.
        Assert.Equal(3, http.Requests.Count(r => r.Method == HttpMethod.Put));
    }

    [Fact]
    public async Task Transient_failures_are_retried_within_the_budget()
    {
        // The first two requests of each operation's sequence fail as a busy server does.
        var http = new InterceptingHttp((_, n) => n is 1 or 2 or 4 or 5 ? S3Error(HttpStatusCode.ServiceUnavailable, "SlowDown") : null);
        using var store = s3.NewStore(o => { o.MaxRetries = 2; o.RetryInitialDelay = TimeSpan.FromMilliseconds(10); }, http);
        var (key, photo) = NewPhoto();

        await store.PutAsync(key, photo);
        var read = await store.GetAsync(key);

        Assert.Equal(photo.Bytes, read!.Bytes);
        Assert.Equal(6, http.Count);
    }

    [Fact]
    public async Task Past_its_retries_an_operation_fails_with_the_store_s_error()
    {
        var http = new InterceptingHttp((_, _) => S3Error(HttpStatusCode.InternalServerError, "InternalError"));
        using var store = s3.NewStore(o => { o.MaxRetries = 3; o.RetryInitialDelay = TimeSpan.FromMilliseconds(10); }, http);

        var ex = await Assert.ThrowsAsync<Amazon.S3.AmazonS3Exception>(() => store.GetAsync(NewPhoto().Sha256));

        Assert.Equal(HttpStatusCode.InternalServerError, ex.StatusCode);
        Assert.Equal(4, http.Count);
    }

    [Fact]
    public async Task A_refusal_is_not_retried()
    {
        var http = new InterceptingHttp((_, _) => S3Error(HttpStatusCode.Forbidden, "AccessDenied"));
        using var store = s3.NewStore(o => o.RetryInitialDelay = TimeSpan.FromMilliseconds(10), http);

        await Assert.ThrowsAsync<Amazon.S3.AmazonS3Exception>(() => store.PutAsync(NewPhoto().Sha256, NewPhoto().Photo));

        Assert.Equal(1, http.Count);
    }

    [Fact]
    public async Task A_missing_bucket_is_an_error_not_a_missing_photo()
    {
        using var store = s3.NewStore(o => o.Bucket = "no-such-bucket");

        var ex = await Assert.ThrowsAsync<Amazon.S3.AmazonS3Exception>(() => store.GetAsync(NewPhoto().Sha256));

        Assert.Equal("NoSuchBucket", ex.ErrorCode);
    }
}
