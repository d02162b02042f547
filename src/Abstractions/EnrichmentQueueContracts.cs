namespace Enrichment.Abstractions;

/// <summary>
/// One claimed unit of enrichment work. <see cref="Sequence"/> changes whenever the product is queued afresh and
/// <see cref="Attempt"/> whenever the item is claimed, so a completion by a holder whose claim has moved on is ignored.
/// </summary>
[GenerateSerializer, Immutable, Alias("Enrichment.EnrichmentWorkItem")]
public sealed record EnrichmentWorkItem(
    [property: Id(0)] string ProductId,
    [property: Id(1)] string ImageSha256,
    [property: Id(2)] long Sequence,
    [property: Id(3)] int Attempt,
    [property: Id(4)] DateTimeOffset EnqueuedAt);

/// <summary>A claimed item to try again after <see cref="Delay"/>; a null delay parks it (the retry budget is spent).</summary>
[GenerateSerializer, Immutable, Alias("Enrichment.EnrichmentRetry")]
public sealed record EnrichmentRetry(
    [property: Id(0)] EnrichmentWorkItem Item,
    [property: Id(1)] TimeSpan? Delay,
    [property: Id(2)] string Error)
{
    /// <summary>Stored errors are bounded whatever the failure said.</summary>
    public const int MaxErrorLength = 500;

    public string BoundedError => Error.Length <= MaxErrorLength ? Error : Error[..MaxErrorLength];
}

/// <summary>How much enrichment work waits: due or leased (<see cref="Depth"/>), given up on (<see cref="Parked"/>).</summary>
[GenerateSerializer, Immutable, Alias("Enrichment.EnrichmentQueueStats")]
public sealed record EnrichmentQueueStats(
    [property: Id(0)] long Depth,
    [property: Id(1)] long Parked,
    [property: Id(2)] DateTimeOffset? OldestEnqueuedAt,
    [property: Id(3)] DateTimeOffset MeasuredAt)
{
    public double OldestAgeSeconds => OldestEnqueuedAt is { } oldest ? Math.Max(0, (MeasuredAt - oldest).TotalSeconds) : 0;
}

/// <summary>Reads the enrichment queue's size for operators (the console, the client's API); any silo answers.</summary>
[Alias("Enrichment.IEnrichmentQueueStatsGrain")]
public interface IEnrichmentQueueStatsGrain : IGrainWithIntegerKey
{
    [Alias("Get")] Task<EnrichmentQueueStats> Get();
}
