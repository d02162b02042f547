using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Enrichment.Client.Hosting;

/// <summary>
/// Describes the endpoints that are not route handlers (health checks, the Prometheus scrape), which endpoint
/// metadata cannot describe: an operator's probe and scraper are API clients too, and the document lists every route.
/// </summary>
internal sealed class OperationalEndpoints : IOpenApiDocumentTransformer
{
    public const string Tag = "Operations";

    private static readonly (string Path, string Summary, string ContentType, bool CanBeUnhealthy)[] Routes =
    [
        ("/healthz", "Liveness (kept for old probes): 200 while the process serves requests", "text/plain", false),
        ("/healthz/live", "Liveness: 200 while the process serves requests", "text/plain", false),
        ("/healthz/ready", "Readiness: 200 when the cluster answers, 503 when it does not", "text/plain", true),
        ("/metrics", "Prometheus exposition of the client's metrics", "text/plain; version=0.0.4", false),
    ];

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Paths ??= new OpenApiPaths();
        foreach (var (path, summary, contentType, canBeUnhealthy) in Routes)
        {
            var responses = new OpenApiResponses
            {
                ["200"] = new OpenApiResponse { Description = "Healthy (or the metrics)", Content = new Dictionary<string, OpenApiMediaType> { [contentType] = new() } },
            };
            if (canBeUnhealthy)
            {
                responses["503"] = new OpenApiResponse { Description = "Unhealthy", Content = new Dictionary<string, OpenApiMediaType> { [contentType] = new() } };
            }
            var item = new OpenApiPathItem();
            item.AddOperation(HttpMethod.Get, new OpenApiOperation
            {
                Summary = summary,
                OperationId = "get" + string.Concat(path.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(s => char.ToUpperInvariant(s[0]) + s[1..])),
                Tags = new HashSet<OpenApiTagReference> { new(Tag, document) },
                Responses = responses,
            });
            document.Paths[path] = item;
        }
        return Task.CompletedTask;
    }
}
