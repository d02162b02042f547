using System.Globalization;
using Enrichment.Abstractions;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Enrichment.Client.Api;

/// <summary>
/// The review queues (open), and a reviewer's decisions (behind the admin token): accept or correct a product's
/// predicted attribute (the value becomes its catalogue value and a label for the next retraining), undo the latest
/// review of an attribute, or accept many at once.
/// </summary>
public static class ReviewEndpoints
{
    private static readonly string[] Parameters = ["kind", "attribute", "threshold", "after", "limit"];

    public static IEndpointRouteBuilder MapReviewEndpoints(this IEndpointRouteBuilder app)
    {
        var reads = app.MapClusterReads();
        reads.MapGet("/api/review", async Task<Results<Ok<ReviewPage>, ProblemHttpResult>> (HttpRequest request, IGrainFactory grains) =>
        {
            var (query, errors) = Parse(request.Query);
            if (query is null)
            {
                return TypedResults.Problem(string.Join("; ", errors), statusCode: 400);
            }
            return TypedResults.Ok(await grains.GetGrain<ICatalogSearchGrain>(0).Review(query));
        });
        reads.MapGet("/api/review/reviewed", async (IGrainFactory grains) => TypedResults.Ok(await grains.GetGrain<ICatalogSearchGrain>(0).CountReviewed()));

        var admin = app.MapAdminActions();
        admin.MapPost("/products/{id}/review", async Task<Results<Ok<ProductView>, ProblemHttpResult>> (string id, ReviewBody? body, IGrainFactory grains) =>
        {
            if (body?.Attribute is null)
            {
                return TypedResults.Problem("send { attribute, value (omit to accept the model's), newValue (true to confirm a value the catalogue does not use yet), by, note }",
                    statusCode: 400);
            }
            return Answer(await grains.GetGrain<IProductGrain>(id).Review(body.ToRequest()));
        }).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        admin.MapPost("/products/{id}/review/undo", async Task<Results<Ok<ProductView>, ProblemHttpResult>> (string id, UndoBody? body, IGrainFactory grains) =>
        {
            if (body?.Attribute is null)
            {
                return TypedResults.Problem("send { attribute, by, note }: the attribute's latest review is taken back", statusCode: 400);
            }
            return Answer(await grains.GetGrain<IProductGrain>(id).UndoReview(
                new UndoReviewRequest(body.Attribute, string.IsNullOrWhiteSpace(body.By) ? "console" : body.By, body.Note)));
        }).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        admin.MapPost("/review/bulk", async Task<Results<Ok<BulkReviewResponse>, ProblemHttpResult>> (BulkReviewBody? body, IGrainFactory grains, CancellationToken ct) =>
            BulkReview.Problem(body) is { } problem
                ? TypedResults.Problem(problem, statusCode: 400)
                : TypedResults.Ok(await BulkReview.RunAsync(body!, grains, ct)));
        return app;
    }

    /// <summary>A review outcome as HTTP: the product, or the refusal with its own status (409 with the closest known values for an unknown one).</summary>
    private static Results<Ok<ProductView>, ProblemHttpResult> Answer(ReviewOutcome outcome)
    {
        if (outcome.Product is { } product)
        {
            return TypedResults.Ok(product);
        }
        var extensions = outcome.Closest is { } closest ? new Dictionary<string, object?> { ["closest"] = closest } : null;
        return TypedResults.Problem(outcome.Refused, statusCode: StatusOf(outcome.Refusal), title: TitleOf(outcome.Refusal), extensions: extensions);
    }

    public static int StatusOf(ReviewRefusal? refusal) => refusal switch
    {
        ReviewRefusal.NotFound => StatusCodes.Status404NotFound,
        ReviewRefusal.UnknownValue or ReviewRefusal.NothingToUndo => StatusCodes.Status409Conflict,
        _ => StatusCodes.Status400BadRequest,
    };

    private static string? TitleOf(ReviewRefusal? refusal) => refusal switch
    {
        ReviewRefusal.UnknownValue => "unknown value: confirm it as new or pick a known one",
        ReviewRefusal.NothingToUndo => "nothing to undo",
        _ => null,
    };

    /// <param name="NewValue">True confirms a corrected value the catalogue does not use yet; without it such a value is refused (409).</param>
    public sealed record ReviewBody(string? Attribute, string? Value, string? By, string? Note, bool NewValue = false)
    {
        public AttributeReviewRequest ToRequest() =>
            new(Attribute!, Value, string.IsNullOrWhiteSpace(By) ? "console" : By, Note, NewValue);
    }

    public sealed record UndoBody(string? Attribute, string? By, string? Note);

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
