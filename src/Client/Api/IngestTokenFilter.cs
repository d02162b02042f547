using Enrichment.Client.Ingest;
using Microsoft.Extensions.Options;

namespace Enrichment.Client.Api;

/// <summary>
/// When an ingest token is configured (Ingest:Token), POST /api/events needs it (Authorization: Bearer, or
/// X-Ingest-Token). It is separate from the admin token so a catalogue feed cannot retrain or deploy models.
/// With none configured ingest stays open, as on a loopback-only demo.
/// </summary>
public sealed class IngestTokenFilter(IOptions<IngestOptions> options) : IEndpointFilter
{
    public const string Header = "X-Ingest-Token";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var expected = options.Value.Token;
        if (!string.IsNullOrEmpty(expected) && !TokenCheck.Presents(context.HttpContext.Request, Header, expected))
        {
            return Results.Problem("a valid ingest token is required to post events", statusCode: 401);
        }
        return await next(context);
    }
}
