using Enrichment.Abstractions;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Enrichment.Client.Api;

/// <summary>
/// The review history of the whole catalogue (open, like every view): newest first a page at a time, and an export of
/// every entry as CSV or NDJSON, streamed while it is read page by page from the log.
/// </summary>
public static class ReviewHistoryEndpoints
{
    public static IEndpointRouteBuilder MapReviewHistoryEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapClusterReads().MapGet("/api/review/history", async Task<Results<Ok<ReviewHistoryPage>, ProblemHttpResult>> (
            HttpRequest request, IGrainFactory grains, string? before, int? limit, string? productId) =>
        {
            if (request.Query.Keys.FirstOrDefault(k => k is not ("before" or "limit" or "productId")) is { } unknown)
            {
                return TypedResults.Problem($"'{ProductEventValidator.Excerpt(unknown)}' is not a parameter here: use limit (1-{ReviewRules.MaxHistoryPage}), " +
                                            "before (the previous page's nextCursor) and productId", statusCode: 400);
            }
            var take = limit ?? 50;
            if (ReviewLogRules.Problem(take, before, productId) is { } problem)
            {
                return TypedResults.Problem(problem, statusCode: 400);
            }
            return TypedResults.Ok(await grains.GetGrain<IReviewLogGrain>(0).History(before, take, productId));
        });

        // Not bounded like a read: it lasts as long as the log takes to stream. Each page is still one grain call.
        app.MapGroup("").AddEndpointFilter<ClusterUnavailableFilter>().MapGet("/api/review/export",
            Results<PushStreamHttpResult, ProblemHttpResult> (HttpRequest request, IGrainFactory grains, IOptions<ApiOptions> options, string? format) =>
            {
                if (request.Query.Keys.FirstOrDefault(k => k is not "format") is { } unknown)
                {
                    return TypedResults.Problem($"'{ProductEventValidator.Excerpt(unknown)}' is not a parameter here: use format=csv or format=ndjson", statusCode: 400);
                }
                if (ReviewExport.Of(format ?? "csv") is not { } export)
                {
                    return TypedResults.Problem("format must be csv or ndjson", statusCode: 400);
                }
                var log = grains.GetGrain<IReviewLogGrain>(0);
                var size = options.Value.ReviewExportPageSize;
                return TypedResults.Stream(stream => export.WriteAsync(stream, after => log.Export(after, size), request.HttpContext.RequestAborted),
                    export.ContentType, $"reviews.{export.Extension}");
            })
            .Produces(StatusCodes.Status200OK, contentType: "text/csv", additionalContentTypes: [ReviewExport.Ndjson])
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return app;
    }
}
