using System.Diagnostics;
using System.Threading.Channels;

namespace Enrichment.Grains.Serving;

/// <summary>
/// Gathers single requests from many callers into batches for one forward pass. The batch function runs on
/// thread-pool workers, never on the Orleans scheduler, so a long forward pass cannot stall grain turns.
/// </summary>
public sealed class DynamicBatcher<TIn, TOut> : IAsyncDisposable
{
    private readonly Func<IReadOnlyList<TIn>, IReadOnlyList<TOut>> _process;
    private readonly BatchingOptions _options;
    private readonly Channel<Pending> _queue;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task[] _workers;
    private readonly BatchStatistics _statistics;

    /// <param name="statistics">Where every batch is recorded (totals, and the metrics the owner attaches to it).</param>
    public DynamicBatcher(Func<IReadOnlyList<TIn>, IReadOnlyList<TOut>> process, BatchingOptions options, BatchStatistics? statistics = null)
    {
        _statistics = statistics ?? new BatchStatistics();
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxBatchSize, 1);
        _process = process;
        _options = options;
        _queue = Channel.CreateBounded<Pending>(new BoundedChannelOptions(options.QueueCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait, // TryWrite then fails fast, which is the "busy" signal.
            SingleReader = options.Workers == 1,
        });
        _workers = Enumerable.Range(0, options.Workers).Select(_ => Task.Run(WorkAsync)).ToArray();
    }

    public int QueueDepth => _queue.Reader.Count;

    public BatchStatistics Statistics => _statistics;

    /// <summary>Queues one item; false when the queue is full (the caller reports busy and retries later).</summary>
    public bool TryEnqueue(TIn item, out Task<TOut> result)
    {
        var pending = new Pending(item, new TaskCompletionSource<TOut>(TaskCreationOptions.RunContinuationsAsynchronously));
        result = pending.Completion.Task;
        return _queue.Writer.TryWrite(pending);
    }

    private async Task WorkAsync()
    {
        var reader = _queue.Reader;
        var batch = new List<Pending>(_options.MaxBatchSize);
        try
        {
            while (await reader.WaitToReadAsync(_stopping.Token))
            {
                batch.Clear();
                if (!reader.TryRead(out var first))
                {
                    continue;
                }
                batch.Add(first);
                await FillAsync(reader, batch);
                Run(batch);
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
        foreach (var orphan in batch.Concat(Drain(reader)))
        {
            orphan.Completion.TrySetException(new ObjectDisposedException(nameof(DynamicBatcher<TIn, TOut>), "the model host is stopping"));
        }
    }

    private async Task FillAsync(ChannelReader<Pending> reader, List<Pending> batch)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(_options.MaxDelay.TotalSeconds * Stopwatch.Frequency);
        while (batch.Count < _options.MaxBatchSize)
        {
            if (reader.TryRead(out var next))
            {
                batch.Add(next);
                continue;
            }
            var remaining = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), deadline);
            if (remaining <= TimeSpan.Zero)
            {
                return;
            }
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
            timeout.CancelAfter(remaining);
            try
            {
                if (!await reader.WaitToReadAsync(timeout.Token))
                {
                    return;
                }
            }
            catch (OperationCanceledException) when (!_stopping.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private void Run(List<Pending> batch)
    {
        var started = Stopwatch.GetTimestamp();
        IReadOnlyList<TOut>? outputs = null;
        Exception? failure = null;
        try
        {
            outputs = _process(batch.Select(p => p.Item).ToList());
            if (outputs.Count != batch.Count)
            {
                throw new InvalidOperationException($"batch function returned {outputs.Count} results for {batch.Count} inputs");
            }
        }
        catch (Exception ex)
        {
            failure = ex;
        }
        // Recorded before anyone sees a result, so a caller that has its answer also sees it counted.
        _statistics.Record(batch.Count, Stopwatch.GetElapsedTime(started));
        for (var i = 0; i < batch.Count; i++)
        {
            if (failure is null)
            {
                batch[i].Completion.TrySetResult(outputs![i]);
            }
            else
            {
                batch[i].Completion.TrySetException(failure);
            }
        }
    }

    private static IEnumerable<Pending> Drain(ChannelReader<Pending> reader)
    {
        while (reader.TryRead(out var pending))
        {
            yield return pending;
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _stopping.CancelAsync();
        await Task.WhenAll(_workers);
        _stopping.Dispose();
    }

    private sealed record Pending(TIn Item, TaskCompletionSource<TOut> Completion);
}
