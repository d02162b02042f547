namespace Enrichment.Grains.Serving;

/// <summary>
/// Dynamic batching knobs, Triton-style: a batch closes when it is full or when its first request has
/// waited <see cref="MaxDelay"/>; the queue is bounded so overload answers "busy" instead of growing memory.
/// </summary>
public sealed class BatchingOptions
{
    public int MaxBatchSize { get; set; } = 32;
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromMilliseconds(5);
    public int QueueCapacity { get; set; } = 4096;

    /// <summary>Forward passes run at once. On CPU, one worker with all cores beats several small ones for big batches.</summary>
    public int Workers { get; set; } = 1;
}
