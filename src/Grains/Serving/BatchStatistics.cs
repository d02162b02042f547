namespace Enrichment.Grains.Serving;

/// <summary>
/// The one record of what the batcher did: running totals for tests and benchmarks, and each batch handed on to
/// <paramref name="onBatch"/> (the host's metrics), so the two can never count differently.
/// </summary>
public sealed class BatchStatistics(Action<int, TimeSpan>? onBatch = null)
{
    private long _batches;
    private long _items;
    private long _largest;
    private long _busyTicks;

    public long Batches => Interlocked.Read(ref _batches);
    public long Items => Interlocked.Read(ref _items);
    public long LargestBatch => Interlocked.Read(ref _largest);
    public TimeSpan BusyTime => TimeSpan.FromTicks(Interlocked.Read(ref _busyTicks));
    public double MeanBatchSize => Batches == 0 ? 0 : (double)Items / Batches;

    public void Record(int size, TimeSpan elapsed)
    {
        Interlocked.Increment(ref _batches);
        Interlocked.Add(ref _items, size);
        Interlocked.Add(ref _busyTicks, elapsed.Ticks);
        long seen;
        while (size > (seen = Interlocked.Read(ref _largest)) && Interlocked.CompareExchange(ref _largest, size, seen) != seen)
        {
        }
        onBatch?.Invoke(size, elapsed);
    }
}
