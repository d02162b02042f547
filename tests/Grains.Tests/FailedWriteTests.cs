using Enrichment.Abstractions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Enrichment.Persistence;
using Enrichment.Persistence.Catalog;
using Orleans.TestingHost;

namespace Enrichment.Grains.Tests;

/// <summary>
/// Issue 23, item 10: after a write that storage refuses, no call sees the refused state, not even one already queued
/// on the same activation behind the failing call (the only place one could: the grain is not reentrant). The grain
/// deactivates and Orleans forwards queued calls to a fresh activation, which re-reads storage; that is why
/// ProductGrain never restores its memory after a failed write. Without the deactivation the queued retry would
/// meet the refused event's id and be answered Duplicate with nothing stored.
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
        var gate = (GatedStore)_cluster.Silos[0].ServiceProvider.GetRequiredService<IProductStore>();
        var id = TestEvents.UniqueId("refused");
        var grain = _cluster.Client.GetGrain<IProductGrain>(id);
        Assert.Equal(ApplyOutcome.Applied, (await grain.Apply(TestEvents.Product(id, 1, colour: "Red"))).Outcome);

        var refused = gate.RefuseNextWrite();
        var first = grain.Apply(TestEvents.Product(id, 2, colour: "Blue"));
        await refused.Started.Task.WaitAsync(TimeSpan.FromSeconds(30));
        // The write is in progress: this retry queues on the same activation, behind it.
        var retry = grain.Apply(TestEvents.Product(id, 2, colour: "Blue"));
        // Time for the retry to reach the silo and queue behind the write; were it later, it would meet a fresh
        // activation anyway (the read count below would say so just the same).
        await Task.Delay(500);
        var readsBefore = gate.ReadsOf(id);
        refused.Fail();

        await Assert.ThrowsAnyAsync<Exception>(() => first);
        Assert.Equal(ApplyOutcome.Applied, (await retry.WaitAsync(TimeSpan.FromSeconds(30))).Outcome);
        var stored = await grain.Get();
        Assert.Equal((2L, "Blue"), (stored!.Version, stored.KnownAttributes[AttributeNames.Colour]));
        // The retry ran on a new activation that read the product from storage again.
        Assert.Equal(readsBefore + 1, gate.ReadsOf(id));
    }

    /// <summary>The memory product store, whose next write, once armed, waits until the test lets it fail.</summary>
    private sealed class GatedStore(IProductStore inner) : IProductStore
    {
        private RefusedWrite? _armed;
        private readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> _reads = new();

        public int ReadsOf(string productId) => _reads.GetValueOrDefault(productId);

        public RefusedWrite RefuseNextWrite() => Interlocked.Exchange(ref _armed, new RefusedWrite()) is null
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
                throw new IOException("injected: storage refused the write");
            }
            await inner.WriteAsync(write, ct);
        }
    }

    private sealed class RefusedWrite
    {
        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public TaskCompletionSource Failing { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public void Fail() => Failing.TrySetResult();
    }
}
