using Enrichment.Abstractions;

namespace Enrichment.Client.Ingest;

public enum IngestStatus
{
    Applied,
    Duplicate,
    Stale,
    /// <summary>The same version is stored with different content; not applied (send the content with a newer version).</summary>
    Conflict,
    /// <summary>Malformed or refused: recorded in the rejected list with the reason.</summary>
    Rejected,
    /// <summary>The cluster could not take it after retries; the event was not accepted and may be resent.</summary>
    Failed,
}

public sealed record IngestResult(string Source, string? ProductId, string? EventId, IngestStatus Status, string? Reason = null)
{
    public static IngestStatus FromOutcome(ApplyOutcome outcome) => outcome switch
    {
        ApplyOutcome.Applied => IngestStatus.Applied,
        ApplyOutcome.Duplicate => IngestStatus.Duplicate,
        ApplyOutcome.Conflict => IngestStatus.Conflict,
        ApplyOutcome.Stale => IngestStatus.Stale,
        ApplyOutcome.Rejected => IngestStatus.Rejected,
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, "unknown outcome"),
    };
}

/// <summary>Counts per status, safe to update from parallel ingest workers.</summary>
public sealed class IngestTally
{
    private readonly long[] _counts = new long[Enum.GetValues<IngestStatus>().Length];

    public void Add(IngestStatus status) => Interlocked.Increment(ref _counts[(int)status]);

    public long this[IngestStatus status] => Interlocked.Read(ref _counts[(int)status]);

    public long Total => _counts.Sum();

    public override string ToString() =>
        string.Join(", ", Enum.GetValues<IngestStatus>().Select(s => $"{s.ToString().ToLowerInvariant()} {this[s]}"));
}
