using System.Text.Json;
using Enrichment.Client.Ingest;
using Microsoft.Extensions.Options;

namespace Enrichment.Client.Api;

/// <summary>Write side over HTTP: a JSON object, a JSON array or NDJSON lines of events.</summary>
public static class IngestEndpoints
{
    public static IEndpointRouteBuilder MapIngestEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/events", async (HttpRequest request, CatalogIngestor ingestor, IOptions<IngestOptions> options, CancellationToken ct) =>
        {
            if (!IngestBody.IsAccepted(request.ContentType, out var isNdjson))
            {
                return Results.Problem($"send events as application/json or {IngestBody.Ndjson} (UTF-8)", statusCode: 415);
            }
            if (IngestBody.EncodingProblem(request) is { } encoding)
            {
                return encoding;
            }
            var (body, problem) = await IngestBody.ReadAsync(request, options.Value.MaxRequestBytes, ct);
            if (problem is not null)
            {
                return problem;
            }
            var events = Split(body!, isNdjson).ToList();
            if (events.Count == 0)
            {
                return Results.Problem("the body holds no events", statusCode: 400);
            }
            if (events.Count > options.Value.MaxEventsPerRequest)
            {
                return Results.Problem($"at most {options.Value.MaxEventsPerRequest} events per request (got {events.Count})", statusCode: 413);
            }
            var results = new List<IngestResult>();
            // The request's trace id tells one HTTP request's rejections from another's in the rejected list.
            var source = $"http {request.HttpContext.TraceIdentifier}";
            for (var i = 0; i < events.Count; i++)
            {
                var incoming = NdjsonEventReader.Parse(events[i], $"{source} #{i + 1}", imageRoot: null);
                results.Add(await ingestor.IngestOneAsync(incoming, ct));
            }
            var status = results.Any(r => r.Status == IngestStatus.Failed) ? 503 : 200;
            return Results.Json(new IngestResponse(results), statusCode: status);
        }).AddEndpointFilter<IngestTokenFilter>()
            // The body is read by hand (three formats, a size bound), so the document learns its shape and answers here.
            .Accepts<EventDocument[]>("application/json", IngestBody.Ndjson)
            .Produces<IngestResponse>(StatusCodes.Status200OK).Produces<IngestResponse>(StatusCodes.Status503ServiceUnavailable)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        return app;
    }

    /// <summary>One result per event, in the order sent; 503 when any failed (a retry is safe: ingest is idempotent).</summary>
    public sealed record IngestResponse(IReadOnlyList<IngestResult> Results);

    /// <summary>
    /// The events of a body as raw JSON texts. An application/json body is one JSON value, however it is laid out over
    /// lines: an array gives its elements, anything else is one event (parsed, and refused if need be, as one). Only
    /// application/x-ndjson is split into lines.
    /// </summary>
    private static IEnumerable<string> Split(string body, bool isNdjson)
    {
        if (isNdjson)
        {
            return body.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0);
        }
        var trimmed = body.Trim();
        if (trimmed.Length == 0)
        {
            return [];
        }
        if (trimmed.StartsWith('['))
        {
            JsonElement array;
            try
            {
                array = JsonSerializer.Deserialize<JsonElement>(trimmed);
            }
            catch (JsonException)
            {
                return [trimmed]; // Parsed again as one event, where the error is reported.
            }
            return array.EnumerateArray().Select(e => e.GetRawText()).ToList();
        }
        return [trimmed];
    }
}
