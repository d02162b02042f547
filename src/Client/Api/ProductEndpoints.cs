using Enrichment.Abstractions;

namespace Enrichment.Client.Api;

/// <summary>Read side: one product, attribute search, images, rejected events.</summary>
public static class ProductEndpoints
{
    public const int MaxRejectedTake = 500;
    public const int MaxRejectedSkip = 1_000_000;

    public static IEndpointRouteBuilder MapProductEndpoints(this IEndpointRouteBuilder app)
    {
        var reads = app.MapClusterReads();
        reads.MapGet("/api/products/{id}", async (string id, IGrainFactory grains) =>
        {
            if (!ProductEventValidator.IsValidProductId(id))
            {
                return Results.Problem($"'{ProductEventValidator.Excerpt(id)}' is not a valid product id", statusCode: 400);
            }
            var view = await grains.GetGrain<IProductGrain>(id).Get();
            return view is null
                ? Results.Problem($"product '{id}' is not in the catalogue", statusCode: 404)
                : Results.Ok(view);
        });

        reads.MapGet("/api/products", async (HttpRequest request, IGrainFactory grains) =>
        {
            var filters = new Dictionary<string, string>(StringComparer.Ordinal);
            int page = 1, pageSize = 20;
            foreach (var (key, values) in request.Query)
            {
                if (values.Count > 1)
                {
                    // Joined with commas they would search for a value nobody sent.
                    return Results.Problem($"query parameter '{ProductEventValidator.Excerpt(key)}' is given more than once", statusCode: 400);
                }
                var value = values.ToString();
                switch (key)
                {
                    case "page" when int.TryParse(value, out var p): page = p; break;
                    case "pageSize" when int.TryParse(value, out var s): pageSize = s; break;
                    case "page" or "pageSize":
                        return Results.Problem($"{key} must be an integer", statusCode: 400);
                    default: filters[key] = value; break;
                }
            }
            try
            {
                var result = await grains.GetGrain<IProductSearchGrain>(0)
                    .Search(new SearchQuery { Filters = filters, Page = page, PageSize = pageSize });
                return Results.Ok(result);
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
            var blob = await grains.GetGrain<IImageGrain>(sha256.ToLowerInvariant()).Get();
            return blob is null ? Results.NotFound() : Results.File(blob.Bytes, blob.ContentType);
        });

        reads.MapGet("/api/rejected", async (IGrainFactory grains, int? skip, int? take) =>
        {
            // Refused rather than clamped: a take of -1 answering 1 row hides the caller's mistake.
            if (skip is < 0 or > MaxRejectedSkip || take is < 1 or > MaxRejectedTake)
            {
                return Results.Problem($"skip must be between 0 and {MaxRejectedSkip} and take between 1 and {MaxRejectedTake}", statusCode: 400);
            }
            return Results.Ok(await grains.GetGrain<IRejectedEventsGrain>(0).List(skip ?? 0, take ?? 50));
        });

        return app;
    }
}
