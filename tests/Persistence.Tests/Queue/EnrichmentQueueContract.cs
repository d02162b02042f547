using Enrichment.Abstractions;
using Enrichment.Persistence.Queue;
using Enrichment.TestSupport;

namespace Enrichment.Persistence.Tests.Queue;

/// <summary>
/// The contract every <see cref="IEnrichmentQueue"/> keeps, run against PostgreSQL and the in-memory queue alike.
/// Lease expiry is observed by waiting for a short lease to lapse (with a generous deadline), never by racing it.
/// </summary>
public abstract class EnrichmentQueueContract
{
    private static readonly TimeSpan LongLease = TimeSpan.FromMinutes(10);

    private StoreSet? _stores;

    protected abstract Task<StoreSet> NewStoresAsync();

    private async Task<IEnrichmentQueue> NewQueueAsync()
    {
        _stores = await NewStoresAsync();
        return _stores.Queue;
    }

    /// <summary>Queue items are written only with their product: this stores the product waiting for <paramref name="sha256"/>.</summary>
    private Task EnqueueAsync(string productId, string sha256, bool restart) =>
        _stores!.StoreAsync(TestProducts.Pending(productId, sha256), restart);

    [Fact]
    public async Task A_queued_product_is_claimed_once_and_gone_when_completed()
    {
        var queue = await NewQueueAsync();
        await EnqueueAsync("p1", "img-a", restart: false);

        var claimed = Assert.Single(await queue.ClaimAsync(10, "silo-a", LongLease));
        Assert.Equal(("p1", "img-a", 1), (claimed.ProductId, claimed.ImageSha256, claimed.Attempt));
        Assert.Empty(await queue.ClaimAsync(10, "silo-b", LongLease));
        Assert.Equal(1, (await queue.GetStatsAsync()).Depth);

        await queue.CompleteAsync([claimed]);
        Assert.Equal(0, (await queue.GetStatsAsync()).Depth);
        Assert.Empty(await queue.ClaimAsync(10, "silo-a", TimeSpan.Zero));
    }

    /// <summary>
    /// Issue 22, item 2: a photo that costs more to decode than the threshold waits in the expensive class, which an
    /// ordinary claim never takes, however much of it is due before an ordinary item (and the other way round).
    /// </summary>
    [Fact]
    public async Task Expensive_photos_are_claimed_apart_and_never_stand_before_ordinary_ones()
    {
        var queue = await NewQueueAsync();
        var expensive = PhotoCostRule.DefaultExpensivePixels + 1;
        for (var i = 0; i < 5; i++)
        {
            await _stores!.StoreAsync(TestProducts.Pending($"heavy-{i}", $"img-heavy-{i}", decodePixels: expensive));
        }
        await _stores!.StoreAsync(TestProducts.Pending("light", "img-light", decodePixels: PhotoCostRule.DefaultExpensivePixels));

        Assert.Equal("light", Assert.Single(await queue.ClaimAsync(2, "silo-a", LongLease)).ProductId);
        var heavy = await queue.ClaimAsync(2, "silo-a", LongLease, PhotoCost.Expensive);
        Assert.Equal(["heavy-0", "heavy-1"], heavy.Select(i => i.ProductId));
        Assert.Empty(await queue.ClaimAsync(10, "silo-b", LongLease));
        Assert.Equal(6, (await queue.GetStatsAsync()).Depth);

        // A new photo of another cost moves the item to that class.
        await _stores.StoreAsync(TestProducts.Pending("heavy-4", "img-light-now", version: 2));
        Assert.Equal("heavy-4", Assert.Single(await queue.ClaimAsync(10, "silo-b", LongLease)).ProductId);
        Assert.Equal(["heavy-2", "heavy-3"], (await queue.ClaimAsync(10, "silo-b", LongLease, PhotoCost.Expensive)).Select(i => i.ProductId));
    }

    [Fact]
    public async Task Concurrent_claimants_never_get_the_same_item_and_claims_respect_their_size()
    {
        var queue = await NewQueueAsync();
        var ids = Enumerable.Range(0, 300).Select(i => $"p{i:D3}").ToList();
        foreach (var id in ids)
        {
            await EnqueueAsync(id, "img-" + id, restart: false);
        }

        var claims = await Task.WhenAll(Enumerable.Range(0, 6).Select(async c =>
        {
            var mine = new List<EnrichmentWorkItem>();
            // Bounded: a queue that kept handing out items (the same ones again, say) must fail this test, not hang
            // the run for the whole CI budget.
            await Eventually.Loop(async () =>
            {
                var batch = await queue.ClaimAsync(7, $"silo-{c}", LongLease);
                Assert.True(batch.Count <= 7);
                mine.AddRange(batch);
                Assert.True(mine.Count <= ids.Count, $"claimant {c} was handed {mine.Count} items of a queue of {ids.Count}");
                return batch.Count == 0;
            }, TimeSpan.FromSeconds(60), $"claimant {c} to drain the queue");
            return mine;
        }));

        var all = claims.SelectMany(c => c).Select(i => i.ProductId).ToList();
        Assert.Equal(ids.Count, all.Count);
        Assert.Equal(ids.OrderBy(i => i), all.Distinct().OrderBy(i => i));
    }

    [Fact]
    public async Task Queuing_again_for_the_same_photo_keeps_the_item_a_new_photo_or_a_restart_replaces_it()
    {
        var queue = await NewQueueAsync();
        await EnqueueAsync("p1", "img-a", restart: false);
        var first = Assert.Single(await queue.ClaimAsync(1, "silo-a", LongLease));

        // Same photo, no restart: the claim stands, nothing new becomes due.
        await EnqueueAsync("p1", "img-a", restart: false);
        Assert.Empty(await queue.ClaimAsync(1, "silo-b", LongLease));

        // A new photo replaces the item: the old claim can no longer complete it.
        await EnqueueAsync("p1", "img-b", restart: false);
        var second = Assert.Single(await queue.ClaimAsync(1, "silo-b", LongLease));
        Assert.Equal("img-b", second.ImageSha256);
        Assert.NotEqual(first.Sequence, second.Sequence);
        await queue.CompleteAsync([first]);
        Assert.Equal(1, (await queue.GetStatsAsync()).Depth);

        // A restart (re-enrichment) replaces it even for the same photo.
        await EnqueueAsync("p1", "img-b", restart: true);
        var third = Assert.Single(await queue.ClaimAsync(1, "silo-c", LongLease));
        Assert.NotEqual(second.Sequence, third.Sequence);
        await queue.CompleteAsync([second]);
        Assert.Equal(1, (await queue.GetStatsAsync()).Depth);
        await queue.CompleteAsync([third]);
        Assert.Equal(0, (await queue.GetStatsAsync()).Depth);
    }

    [Fact]
    public async Task A_lapsed_lease_makes_the_item_due_again_and_the_old_holder_cannot_complete_it()
    {
        var queue = await NewQueueAsync();
        await EnqueueAsync("p1", "img-a", restart: false);
        var lapsed = Assert.Single(await queue.ClaimAsync(1, "dead-silo", TimeSpan.FromMilliseconds(300)));

        var again = await EventuallyClaimAsync(queue, "live-silo");
        Assert.Equal(2, again.Attempt);
        Assert.Equal(lapsed.Sequence, again.Sequence);

        await queue.CompleteAsync([lapsed]);
        Assert.Equal(1, (await queue.GetStatsAsync()).Depth);
        await queue.CompleteAsync([again]);
        Assert.Equal(0, (await queue.GetStatsAsync()).Depth);
    }

    [Fact]
    public async Task A_retry_waits_its_delay_and_a_spent_budget_parks_the_item_until_it_is_queued_afresh()
    {
        var queue = await NewQueueAsync();
        await EnqueueAsync("later", "img-a", restart: false);
        await EnqueueAsync("soon", "img-b", restart: false);
        await EnqueueAsync("parked", "img-c", restart: false);
        var claimed = (await queue.ClaimAsync(3, "silo-a", LongLease)).ToDictionary(i => i.ProductId);

        await queue.RetryAsync([
            new EnrichmentRetry(claimed["later"], TimeSpan.FromHours(1), "busy"),
            new EnrichmentRetry(claimed["soon"], TimeSpan.FromMilliseconds(200), "busy"),
            new EnrichmentRetry(claimed["parked"], null, new string('x', 5000)),
        ]);

        Assert.Equal("soon", (await EventuallyClaimAsync(queue, "silo-b")).ProductId);
        var stats = await queue.GetStatsAsync();
        Assert.Equal((2L, 1L), (stats.Depth, stats.Parked));
        Assert.Empty(await queue.ClaimAsync(10, "silo-b", LongLease));

        await EnqueueAsync("parked", "img-c", restart: true);
        Assert.Equal("parked", Assert.Single(await queue.ClaimAsync(10, "silo-b", LongLease)).ProductId);
        Assert.Equal(0, (await queue.GetStatsAsync()).Parked);
    }

    [Fact]
    public async Task Stats_count_what_waits_and_date_the_oldest_item()
    {
        var queue = await NewQueueAsync();
        var empty = await queue.GetStatsAsync();
        Assert.Equal((0L, 0L, (DateTimeOffset?)null), (empty.Depth, empty.Parked, empty.OldestEnqueuedAt));

        var before = DateTimeOffset.UtcNow.AddSeconds(-5);
        await EnqueueAsync("p1", "img-a", restart: false);
        await EnqueueAsync("p2", "img-b", restart: false);
        var stats = await queue.GetStatsAsync();
        Assert.Equal(2, stats.Depth);
        Assert.InRange(stats.OldestEnqueuedAt!.Value, before, DateTimeOffset.UtcNow.AddSeconds(5));
        Assert.True(stats.OldestAgeSeconds >= 0);
    }

    private static async Task<EnrichmentWorkItem> EventuallyClaimAsync(IEnrichmentQueue queue, string owner) =>
        (await Eventually.Get(() => queue.ClaimAsync(1, owner, LongLease), claimed => claimed.Count == 1,
            TimeSpan.FromSeconds(30), "the item to become due again", TimeSpan.FromMilliseconds(50)))[0];
}

[Trait("Category", "Unit")]
public sealed class InMemoryEnrichmentQueueTests : EnrichmentQueueContract
{
    protected override Task<StoreSet> NewStoresAsync() => Task.FromResult(StoreSet.InMemory());
}

[Collection(PostgresCollection.Name)]
[Trait("Category", "Postgres")]
public sealed class PostgresEnrichmentQueueTests(PostgresFixture fixture) : EnrichmentQueueContract
{
    protected override async Task<StoreSet> NewStoresAsync() => StoreSet.Postgres(await fixture.NewDataSourceAsync("queue"));
}
