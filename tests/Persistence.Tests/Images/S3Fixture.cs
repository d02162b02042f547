using Enrichment.Persistence.Images;
using Enrichment.TestSupport;

namespace Enrichment.Persistence.Tests.Images;

/// <summary>One s3rver per test class that needs it, stopped with the class.</summary>
public sealed class S3Fixture : IAsyncLifetime
{
    private S3Server? _server;

    public S3Server Server => _server ?? throw new InvalidOperationException("S3 fixture not initialised.");

    public async Task InitializeAsync() => _server = await S3Server.StartAsync();

    /// <summary>A store on the server's bucket; <paramref name="configure"/> adjusts the options, <paramref name="http"/> sees every request.</summary>
    public S3ImageStore NewStore(Action<S3PhotoOptions>? configure = null, Amazon.Runtime.HttpClientFactory? http = null)
    {
        var options = Server.Options();
        configure?.Invoke(options);
        return new S3ImageStore(S3ImageStore.CreateClient(options, http), options.Bucket!, S3Retries.Build(options));
    }

    public async Task DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
    }
}

/// <summary>
/// Sits between the S3 client and the real server: records requests and may answer some itself (a fault), so a test
/// sees exactly what the store sends and how it takes a failure, deterministically.
/// </summary>
public sealed class InterceptingHttp(Func<HttpRequestMessage, int, HttpResponseMessage?>? fault = null) : Amazon.Runtime.HttpClientFactory
{
    private int _count;

    public System.Collections.Concurrent.ConcurrentQueue<HttpRequestMessage> Requests { get; } = new();

    /// <summary>Requests sent so far, faults included.</summary>
    public int Count => Volatile.Read(ref _count);

    public override HttpClient CreateHttpClient(Amazon.Runtime.IClientConfig clientConfig) =>
        new(new Handler(this) { InnerHandler = new SocketsHttpHandler() });

    public override bool UseSDKHttpClientCaching(Amazon.Runtime.IClientConfig clientConfig) => false;

    private HttpResponseMessage? Intercept(HttpRequestMessage request)
    {
        var n = Interlocked.Increment(ref _count);
        Requests.Enqueue(request);
        var answer = fault?.Invoke(request, n);
        if (answer is not null)
        {
            answer.RequestMessage = request;
        }
        return answer;
    }

    private sealed class Handler(InterceptingHttp owner) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct) =>
            owner.Intercept(request) is { } answer ? Task.FromResult(answer) : base.SendAsync(request, ct);
    }
}
