using Enrichment.Abstractions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Enrichment.Persistence;
using Enrichment.Persistence.Catalog;
using Orleans.TestingHost;

namespace Enrichment.Grains.Tests;

/// <summary>
/// Issue 23, item 10: after a write that storage refuses, no call sees the refused state, not even one already queued
/// on the same activation behind the failing call (the only place one could: the grain is not reentrant). ProductGrain
/// keeps what it wrote in memory only once storage confirmed it, and after a failure the grain deactivates, so Orleans
/// forwards queued calls to a fresh activation, which re-reads storage: there is nothing to restore. Storage can also
/// report a failure for a write that landed (a commit whose answer was lost): then only storage knows the truth, and
/// the retry must meet it (a Duplicate), not the activation's memory (which would try the event again and be refused
/// by the revision guard).
/// </summary>
[Trait("Category", "Cluster")]
public sealed class FailedWriteTests : IAsyncLifetime
{
    private InProcessTestCluster _cluster = null!;

    public async Task InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddEnrichmentStorage(new EnrichmentStorageOptions()).AddEnrichmentGrains(new ConfigurationBuilder().Build());
            // The product store behind a gate that refuses the next write on cue (registered last, so it is the one
            // the grains get).
            silo.Services.AddSingleton<IProductStore>(sp => new GatedStore(sp.GetRequiredService<MemoryCatalogStores>().Products));
        });
        _cluster = builder.Build();
        await _cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        await _cluster.StopAllSilosAsync();
        await _cluster.DisposeAsync();
    }

    [Fact]
    public async Task A_retry_queued_behind_a_refused_write_re_applies_the_event_instead_of_calling_it_a_duplicate()
    {
        var (id, grain, first, retry, readsBefore) = await RetryQueuedBehindAFailedWriteAsync("refused", landed: false);

        await Assert.ThrowsAnyAsync<Exception>(() => first);
        Assert.Equal(ApplyOutcome.Applied, (await retry.WaitAsync(TimeSpan.FromSeconds(30))).Outcome);
        var stored = await grain.Get();
        Assert.Equal((2L, "Blue"), (stored!.Version, stored.KnownAttributes[AttributeNames.Colour]));
        // The retry ran on a new activation that read the product from storage again.
        Assert.Equal(readsBefore + 1, Gate.ReadsOf(id));
    }

    [Fact]
    public async Task A_retry_queued_behind_a_write_that_landed_but_reported_failure_is_a_duplicate()
    {
        var (_, grain, first, retry, _) = await RetryQueuedBehindAFailedWriteAsync("landed", landed: true);

        await Assert.ThrowsAnyAsync<Exception>(() => first);
        // Storage holds the event: the retry is told so, instead of failing on the stale memory of the old activation.
        Assert.Equal(ApplyOutcome.Duplicate, (await retry.WaitAsync(TimeSpan.FromSeconds(30))).Outcome);
        var stored = await grain.Get();
        Assert.Equal((2L, "Blue"), (stored!.Version, stored.KnownAttributes[AttributeNames.Colour]));
    }

    private GatedStore Gate => (GatedStore)_cluster.Silos[0].ServiceProvider.GetRequiredService<IProductStore>();

    /// <summary>
    /// Stores version 1 of a product, then sends version 2 (event "e2") twice: the first write fails (after landing,
    /// when <paramref name="landed"/>), and the second call is sent while that write is in progress, so it queues behind it.
    /// </summary>
    private async Task<(string Id, IProductGrain Grain, Task<ApplyResult> First, Task<ApplyResult> Retry, int ReadsBefore)> RetryQueuedBehindAFailedWriteAsync(
        string name, bool landed)
    {
        var id = TestEvents.UniqueId(name);
        var grain = _cluster.Client.GetGrain<IProductGrain>(id);
        Assert.Equal(ApplyOutcome.Applied, (await grain.Apply(TestEvents.Product(id, 1, colour: "Red"))).Outcome);

        var refused = Gate.RefuseNextWrite(landed);
        var first = grain.Apply(TestEvents.Product(id, 2, colour: "Blue"));
        await refused.Started.Task.WaitAsync(TimeSpan.FromSeconds(30));
        // The write is in progress: this retry queues on the same activation, behind it.
        var retry = grain.Apply(TestEvents.Product(id, 2, colour: "Blue"));
        // Time for the retry to reach the silo and queue behind the write; were it later, it would meet a fresh
        // activation anyway (the read count and outcomes say so just the same).
        await Task.Delay(500);
        var readsBefore = Gate.ReadsOf(id);
        refused.Fail();
        return (id, grain, first, retry, readsBefore);
    }

    /// <summary>
    /// The memory product store, whose next write, once armed, waits until the test lets it fail (having stored the
    /// write first, when armed so).
    /// </summary>
    private sealed class GatedStore(IProductStore inner) : IProductStore
    {
        private RefusedWrite? _armed;
        private readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> _reads = new();

        public int ReadsOf(string productId) => _reads.GetValueOrDefault(productId);

        public RefusedWrite RefuseNextWrite(bool landed) => Interlocked.Exchange(ref _armed, new RefusedWrite(landed)) is null
            ? _armed!
            : throw new InvalidOperationException("a refusal is already armed");

        public Task<ProductRecord?> ReadAsync(string productId, CancellationToken ct = default)
        {
            _reads.AddOrUpdate(productId, 1, (_, n) => n + 1);
            return inner.ReadAsync(productId, ct);
        }

        public Task<IReadOnlyDictionary<string, ProductRecord>> ReadManyAsync(IReadOnlyCollection<string> productIds, CancellationToken ct = default) =>
            inner.ReadManyAsync(productIds, ct);

        public async Task WriteAsync(ProductWrite write, CancellationToken ct = default)
        {
            if (Interlocked.Exchange(ref _armed, null) is { } refusal)
            {
                refusal.Started.TrySetResult();
                await refusal.Failing.Task;
                if (refusal.Landed)
                {
                    await inner.WriteAsync(write, ct);
                    throw new IOException("injected: the write was stored, but its acknowledgement was lost");
                }
                throw new IOException("injected: storage refused the write");
            }
            await inner.WriteAsync(write, ct);
        }
    }

    private sealed class RefusedWrite(bool landed)
    {
        public bool Landed => landed;
        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public TaskCompletionSource Failing { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public void Fail() => Failing.TrySetResult();
    }
}
