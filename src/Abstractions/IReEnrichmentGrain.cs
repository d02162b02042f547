namespace Enrichment.Abstractions;

/// <summary>
/// Brings the catalogue onto one model version after a deployment or a rollback: re-enriches, a page at a time, the
/// products whose predictions came from other versions (singleton, key 0). Calls return at once; the job runs in the
/// background and survives its silo (its progress is stored after every page and resumed on the next call).
/// </summary>
[Alias("Enrichment.IReEnrichmentGrain")]
public interface IReEnrichmentGrain : IGrainWithIntegerKey
{
    /// <summary>
    /// Starts re-enriching towards <see cref="ReEnrichmentRequest.TargetVersion"/>. A job running towards another
    /// version is superseded (a newer deployment decides what the catalogue should carry); one running towards the same
    /// version goes on and is answered.
    /// </summary>
    [Alias("Start")] Task<ReEnrichmentStatus> Start(ReEnrichmentRequest request);

    /// <summary>The running or most recent job; null before the first.</summary>
    [Alias("Status")] Task<ReEnrichmentStatus?> Status();

    /// <summary>Stops the running job after its current page (products already queued are enriched).</summary>
    [Alias("Cancel")] Task<ReEnrichmentStatus?> Cancel();
}

[GenerateSerializer, Immutable, Alias("Enrichment.ReEnrichmentRequest")]
public sealed record ReEnrichmentRequest(
    [property: Id(0)] string TargetVersion,
    [property: Id(1)] string By);

public enum ReEnrichmentState
{
    Running,
    Completed,
    Cancelled,
    /// <summary>A newer deployment started a job towards another version.</summary>
    Superseded,
    Failed,
}

[GenerateSerializer, Immutable, Alias("Enrichment.ReEnrichmentStatus")]
public sealed record ReEnrichmentStatus
{
    [Id(0)] public required string TargetVersion { get; init; }
    [Id(1)] public required string By { get; init; }
    [Id(2)] public required DateTimeOffset StartedAt { get; init; }
    [Id(3)] public ReEnrichmentState State { get; init; }
    /// <summary>Products carrying other versions' predictions when the job started.</summary>
    [Id(4)] public long Total { get; init; }
    /// <summary>Products sent back to the enrichment queue so far (each is enriched by the served model as it gets to them).</summary>
    [Id(5)] public long Requested { get; init; }
    [Id(6)] public DateTimeOffset? FinishedAt { get; init; }
    [Id(7)] public string? Error { get; init; }
    /// <summary>Set while the job waits for the enrichment queue to drain below its bound before queueing more.</summary>
    [Id(8)] public bool WaitingForQueue { get; init; }
}
