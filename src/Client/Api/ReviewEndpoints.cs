using System.Globalization;
using Enrichment.Abstractions;

namespace Enrichment.Client.Api;

/// <summary>
/// The review queues (open), and a reviewer's decision on a product's predicted attribute (behind the admin token):
/// the accepted or corrected value becomes the product's catalogue value and a label for the next retraining.
/// </summary>
public static class ReviewEndpoints
{
    private static readonly string[] Parameters = ["kind", "attribute", "threshold", "after", "limit"];

    public static IEndpointRouteBuilder MapReviewEndpoints(this IEndpointRouteBuilder app)
    {
        var reads = app.MapClusterReads();
        reads.MapGet("/api/review", async (HttpRequest request, IGrainFactory grains) =>
        {
            var (query, errors) = Parse(request.Query);
            if (query is null)
            {
                return Results.Problem(string.Join("; ", errors), statusCode: 400);
            }
            return Results.Ok(await grains.GetGrain<ICatalogSearchGrain>(0).Review(query));
        });
        reads.MapGet("/api/review/reviewed", async (IGrainFactory grains) => Results.Ok(await grains.GetGrain<ICatalogSearchGrain>(0).CountReviewed()));

        var admin = app.MapAdminActions();
        admin.MapPost("/products/{id}/review", async (string id, ReviewBody? body, IGrainFactory grains) =>
        {
            if (body?.Attribute is null)
            {
                return Results.Problem("send { attribute, value (omit to accept the model's), by, note }", statusCode: 400);
            }
            var outcome = await grains.GetGrain<IProductGrain>(id).Review(
                new AttributeReviewRequest(body.Attribute, body.Value, string.IsNullOrWhiteSpace(body.By) ? "console" : body.By, body.Note));
            return outcome.Product is { } product
                ? Results.Ok(product)
                : Results.Problem(outcome.Refused, statusCode: outcome.Refused!.StartsWith("no product", StringComparison.Ordinal) ? 404 : 400);
        });
        return app;
    }

    public sealed record ReviewBody(string? Attribute, string? Value, string? By, string? Note);

    private static (ReviewQuery? Query, IReadOnlyList<string> Errors) Parse(IQueryCollection parameters)
    {
        var errors = new List<string>();
        if (parameters.Keys.FirstOrDefault(k => !Parameters.Contains(k)) is { } unknown)
        {
            errors.Add($"'{ProductEventValidator.Excerpt(unknown)}' is not a parameter here; use: {string.Join(", ", Parameters)}");
        }
        var query = new ReviewQuery();
        if (parameters.TryGetValue("kind", out var kind))
        {
            query = Enum.TryParse<ReviewKind>(kind, ignoreCase: true, out var k) && Enum.IsDefined(k) && !int.TryParse(kind, out _)
                ? query with { Kind = k }
                : Fail(query, "kind must be disagreement or lowConfidence");
        }
        if (parameters.TryGetValue("attribute", out var attribute))
        {
            query = query with { Attribute = attribute.ToString() };
        }
        if (parameters.TryGetValue("threshold", out var threshold))
        {
            query = float.TryParse(threshold, NumberStyles.Float, CultureInfo.InvariantCulture, out var t)
                ? query with { Threshold = t }
                : Fail(query, "threshold must be a number between 0 and 1");
        }
        if (parameters.TryGetValue("after", out var after))
        {
            query = query with { After = after.ToString() };
        }
        if (parameters.TryGetValue("limit", out var limit))
        {
            query = int.TryParse(limit, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l)
                ? query with { Limit = l }
                : Fail(query, $"limit must be an integer between 1 and {CatalogQueryRules.MaxLimit}");
        }
        if (errors.Count == 0)
        {
            errors.AddRange(ReviewRules.Validate(query));
        }
        return (errors.Count == 0 ? query : null, errors);

        ReviewQuery Fail(ReviewQuery unchanged, string message)
        {
            errors.Add(message);
            return unchanged;
        }
    }
}
