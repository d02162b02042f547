using Enrichment.Abstractions;

namespace Enrichment.Client.Api;

/// <summary>The enrichment queue as operators see it: how much waits, since when, and how much was given up on.</summary>
public static class EnrichmentEndpoints
{
    public static IEndpointRouteBuilder MapEnrichmentEndpoints(this IEndpointRouteBuilder app)
    {
        var reads = app.MapClusterReads();
        reads.MapGet("/api/enrichment/queue", async (IGrainFactory grains) =>
        {
            var stats = await grains.GetGrain<IEnrichmentQueueStatsGrain>(0).Get();
            return Results.Ok(new
            {
                depth = stats.Depth,
                parked = stats.Parked,
                oldestEnqueuedAt = stats.OldestEnqueuedAt,
                oldestAgeSeconds = Math.Round(stats.OldestAgeSeconds, 1),
                measuredAt = stats.MeasuredAt,
            });
        });
        return app;
    }
}
