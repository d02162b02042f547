namespace Enrichment.Client.Ingest;

/// <summary>Bound from the "Ingest" section.</summary>
public sealed class IngestOptions
{
    public const string Section = "Ingest";

    /// <summary>Larger images are refused at the door: catalogue photos are kilobytes, not megabytes.</summary>
    public int MaxImageBytes { get; set; } = 8 * 1024 * 1024;

    /// <summary>Events in flight at once.</summary>
    public int Parallelism { get; set; } = 32;

    /// <summary>Attempts for a transient cluster failure before the event is reported as failed (not lost: it was never accepted).</summary>
    public int MaxAttempts { get; set; } = 5;

    public int MaxEventsPerRequest { get; set; } = 1000;
}
