using System.ComponentModel.DataAnnotations;

namespace Enrichment.Grains.ReEnrichment;

/// <summary>How a re-enrichment after a deployment paces itself; bound from "Enrichment:ReEnrichment" and validated on start.</summary>
public sealed class ReEnrichmentOptions
{
    public const string Section = "Enrichment:ReEnrichment";

    /// <summary>Products read from the read model and queued per step; the job's progress is stored after each.</summary>
    [Range(1, 5_000)]
    public int PageSize { get; set; } = 500;

    /// <summary>Product grains asked at once while a page is queued.</summary>
    [Range(1, 64)]
    public int Parallelism { get; set; } = 8;

    /// <summary>
    /// The next page waits while the enrichment queue holds this many items or more, so a catalogue of 10^6 products
    /// never lands in the queue at once and live changes are not stuck behind it.
    /// </summary>
    [Range(1, 1_000_000)]
    public int MaxQueueDepth { get; set; } = 5_000;

    /// <summary>How long to wait before looking at the queue's depth again.</summary>
    public TimeSpan QueueWait { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Attempts per product whose grain could not store the request (storage failures are retried with backoff).</summary>
    [Range(1, 20)]
    public int Attempts { get; set; } = 5;

    /// <summary>The first retry's delay; it doubles per attempt.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);
}
