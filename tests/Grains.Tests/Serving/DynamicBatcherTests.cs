using Enrichment.Grains.Serving;

namespace Enrichment.Grains.Tests.Serving;

[Trait("Category", "Unit")]
public sealed class DynamicBatcherTests
{
    [Fact]
    public async Task Concurrent_requests_share_batches_up_to_the_maximum_and_each_gets_its_own_result()
    {
        var sizes = new List<int>();
        await using var batcher = new DynamicBatcher<int, int>(batch =>
        {
            lock (sizes) sizes.Add(batch.Count);
            Thread.Sleep(20); // a forward pass takes time, so requests pile up behind it
            return batch.Select(x => x * 10).ToList();
        }, new BatchingOptions { MaxBatchSize = 8, MaxDelay = TimeSpan.FromMilliseconds(50), QueueCapacity = 1000 });

        var results = await Task.WhenAll(Enumerable.Range(0, 100).Select(i =>
        {
            Assert.True(batcher.TryEnqueue(i, out var result));
            return result;
        }));

        Assert.Equal(Enumerable.Range(0, 100).Select(i => i * 10), results);
        Assert.All(sizes, size => Assert.InRange(size, 1, 8));
        Assert.Contains(8, sizes);
        Assert.Equal(100, batcher.Statistics.Items);
        Assert.Equal(sizes.Count, batcher.Statistics.Batches);
    }

    [Fact]
    public async Task A_lone_request_runs_after_the_delay_without_waiting_for_a_full_batch()
    {
        await using var batcher = new DynamicBatcher<int, int>(batch => batch, new BatchingOptions { MaxBatchSize = 32, MaxDelay = TimeSpan.FromMilliseconds(20) });
        Assert.True(batcher.TryEnqueue(7, out var result));
        Assert.Equal(7, await result.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal(1, batcher.Statistics.LargestBatch);
    }

    [Fact]
    public async Task A_full_queue_answers_busy_instead_of_growing()
    {
        using var release = new ManualResetEventSlim();
        await using var batcher = new DynamicBatcher<int, int>(batch =>
        {
            release.Wait();
            return batch;
        }, new BatchingOptions { MaxBatchSize = 1, MaxDelay = TimeSpan.Zero, QueueCapacity = 2 });

        var accepted = new List<Task<int>>();
        var busy = 0;
        for (var i = 0; i < 10; i++)
        {
            if (batcher.TryEnqueue(i, out var result))
            {
                accepted.Add(result);
            }
            else
            {
                busy++;
            }
        }
        release.Set();

        Assert.InRange(accepted.Count, 2, 3); // the queue's two, plus possibly one the worker already took
        Assert.Equal(10 - accepted.Count, busy);
        Assert.Equal(accepted.Count, (await Task.WhenAll(accepted)).Length);
    }

    [Fact]
    public async Task A_failing_batch_fails_its_requests_and_the_batcher_keeps_serving()
    {
        var calls = 0;
        await using var batcher = new DynamicBatcher<int, int>(batch =>
            Interlocked.Increment(ref calls) == 1 ? throw new InvalidOperationException("boom") : batch,
            new BatchingOptions { MaxBatchSize = 4, MaxDelay = TimeSpan.Zero });

        Assert.True(batcher.TryEnqueue(1, out var first));
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => first);
        Assert.Equal("boom", error.Message);
        Assert.True(batcher.TryEnqueue(2, out var second));
        Assert.Equal(2, await second);
    }
}
