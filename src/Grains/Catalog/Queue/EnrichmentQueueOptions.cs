using System.ComponentModel.DataAnnotations;

namespace Enrichment.Grains.Queue;

/// <summary>How accelerator silos pull enrichment work; bound from "Enrichment:Queue" and validated on start.</summary>
public sealed class EnrichmentQueueOptions
{
    public const string Section = "Enrichment:Queue";

    /// <summary>Items one claim takes; a full claim is one forward pass at the default batch size.</summary>
    [Range(1, 4096)]
    public int ClaimSize { get; set; } = 32;

    /// <summary>Claims in flight per silo: while one batch runs on the model, the next is fetched and stored.</summary>
    [Range(1, 64)]
    public int Lanes { get; set; } = 3;

    /// <summary>
    /// A photo whose decode costs more pixels than this (<see cref="Abstractions.DecodeCost"/>, from its header at
    /// ingest) waits in the expensive class, which only <see cref="ExpensiveLanes"/> claim, one item at a time.
    /// </summary>
    [Range(1, long.MaxValue)]
    public long ExpensiveDecodePixels { get; set; } = Persistence.Queue.PhotoCostRule.DefaultExpensivePixels;

    /// <summary>Lanes per silo that claim expensive photos, one at a time: what a flood of them can take from the model.</summary>
    [Range(1, 64)]
    public int ExpensiveLanes { get; set; } = 1;

    /// <summary>How long a claim is held before the item is due again (its silo presumably died).</summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Longest wait between claims while the queue is empty (the wait doubles from 50 ms up to this).</summary>
    public TimeSpan IdlePollMax { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>First retry delay of a failed item; doubles per attempt up to <see cref="RetryMaxDelay"/>.</summary>
    public TimeSpan RetryInitialDelay { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Claims after which an item is parked (kept, not retried) until it is queued afresh.</summary>
    [Range(1, 1000)]
    public int MaxAttempts { get; set; } = 30;

    /// <summary>How often each silo refreshes the queue's depth and oldest age for metrics.</summary>
    public TimeSpan StatsInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Delay before attempt <paramref name="attempt"/> + 1, or null once the budget is spent.</summary>
    public TimeSpan? RetryDelay(int attempt)
    {
        if (attempt >= MaxAttempts)
        {
            return null;
        }
        var doubled = RetryInitialDelay.Ticks * Math.Pow(2, Math.Min(attempt - 1, 30));
        return TimeSpan.FromTicks((long)Math.Min(doubled, RetryMaxDelay.Ticks));
    }
}
