using Enrichment.Abstractions;

namespace Enrichment.Client.Api;

/// <summary>Read side: one product, catalogue search (from the read model), images, rejected events.</summary>
public static class ProductEndpoints
{
    public static IEndpointRouteBuilder MapProductEndpoints(this IEndpointRouteBuilder app)
    {
        var reads = app.MapClusterReads();
        reads.MapGet("/api/products/{id}", async (string id, IGrainFactory grains) =>
        {
            var view = await grains.GetGrain<IProductGrain>(id).Get();
            return view is null
                ? Results.Problem($"product '{id}' is not in the catalogue", statusCode: 404)
                : Results.Ok(view);
        });

        reads.MapGet("/api/products", async (HttpRequest request, IGrainFactory grains) =>
        {
            var (query, errors) = CatalogQueryParser.Parse(request.Query);
            if (query is null)
            {
                return Results.Problem(string.Join("; ", errors), statusCode: 400);
            }
            try
            {
                return Results.Ok(await grains.GetGrain<ICatalogSearchGrain>(0).Search(query));
            }
            catch (ArgumentException ex)
            {
                return Results.Problem(ex.Message, statusCode: 400);
            }
        });

        reads.MapGet("/api/images/{sha256}", async (string sha256, IGrainFactory grains) =>
        {
            if (sha256.Length != 64 || !sha256.All(Uri.IsHexDigit))
            {
                return Results.Problem("an image key is 64 hex characters", statusCode: 400);
            }
            var blob = await grains.Photos().Get(sha256.ToLowerInvariant());
            return blob is null ? Results.NotFound() : Results.File(blob.Bytes, blob.ContentType);
        });

        reads.MapGet("/api/rejected", async (HttpRequest request, IGrainFactory grains, string? before, int? take, string? reason, string? productId) =>
        {
            if (request.Query.Keys.FirstOrDefault(k => k is not ("before" or "take" or "reason" or "productId")) is { } unknown)
            {
                return Results.Problem($"'{ProductEventValidator.Excerpt(unknown)}' is not a parameter here: pages are read with take (1-{RejectedPage.MaxTake}) " +
                                       "and continued with before = the previous page's nextCursor; reason (text the reason contains) and productId filter them", statusCode: 400);
            }
            // Refused rather than clamped: a take of -1 answering 1 row hides the caller's mistake.
            if (take is { } size && RejectedPage.TakeProblem(size) is { } problem)
            {
                return Results.Problem(problem, statusCode: 400);
            }
            var filter = new RejectedFilter(string.IsNullOrWhiteSpace(reason) ? null : reason.Trim(), string.IsNullOrWhiteSpace(productId) ? null : productId.Trim());
            if (filter.Problem() is { } filterProblem)
            {
                return Results.Problem(filterProblem, statusCode: 400);
            }
            try
            {
                var log = grains.GetGrain<IRejectedEventsGrain>(0);
                return Results.Ok(filter.IsEmpty ? await log.List(before, take ?? 50) : await log.ListMatching(filter, before, take ?? 50));
            }
            catch (ArgumentException ex)
            {
                return Results.Problem(ex.Message, statusCode: 400);
            }
        });

        return app;
    }
}
