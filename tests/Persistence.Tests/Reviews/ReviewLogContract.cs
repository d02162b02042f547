using Enrichment.Abstractions;
using Enrichment.Persistence.Catalog;
using Enrichment.TestSupport;

namespace Enrichment.Persistence.Tests.Reviews;

/// <summary>
/// The contract every <see cref="Persistence.Reviews.IReviewLog"/> keeps with its product store, run against PostgreSQL
/// and memory alike: a review's history entry is stored with the product change or not at all, read newest first, and
/// exported exactly once per entry while reviews go on.
/// </summary>
public abstract class ReviewLogContract
{
    protected abstract Task<StoreSet> NewStoresAsync();

    private static readonly DateTimeOffset Start = DateTimeOffset.Parse("2026-11-24T07:00:00Z");

    private static ReviewHistoryEntry Entry(string productId, long entry, string to = "Blue") => new()
    {
        ProductId = productId, Entry = entry, Attribute = "colour", Action = ReviewAction.Corrected, From = "Red", To = to,
        NewValue = to == "Balck", By = "ana", At = Start.AddSeconds(entry), Note = entry == 1 ? "first, \"quoted\"" : null,
    };

    /// <summary>Writes one review of <paramref name="productId"/> as its grain does: the product and its entry in one write.</summary>
    private static async Task ReviewAsync(StoreSet stores, string productId, string to = "Blue")
    {
        var current = await stores.Products.ReadAsync(productId);
        var product = current?.Product ?? TestProducts.Pending(productId, new string('a', 64));
        var entry = Entry(productId, product.ReviewEntries + 1, to);
        await stores.Products.WriteAsync(new ProductWrite(product with { ReviewEntries = entry.Entry, KnownAttributes = new() { ["colour"] = to } },
            current?.Revision ?? 0, Reviewed: entry));
    }

    [Fact]
    public async Task Entries_are_stored_with_their_product_change_and_read_newest_first_a_page_at_a_time()
    {
        var stores = await NewStoresAsync();
        await ReviewAsync(stores, "a");
        await ReviewAsync(stores, "b", "Balck");
        await ReviewAsync(stores, "a", "Green");

        var first = await stores.Reviews.ListAsync(null, 2);
        Assert.Equal([("a", 2L), ("b", 1L)], first.Items.Select(e => (e.ProductId, e.Entry)));
        Assert.NotNull(first.NextBefore);
        var second = await stores.Reviews.ListAsync(first.NextBefore, 2);
        Assert.Equal([("a", 1L)], second.Items.Select(e => (e.ProductId, e.Entry)));
        Assert.Null(second.NextBefore);
        var whole = second.Items[0];
        Assert.Equal(Entry("a", 1), whole with { At = whole.At.ToUniversalTime() });
        Assert.True((await stores.Reviews.ListAsync(null, 10)).Items.Single(e => e.ProductId == "b").NewValue);
        Assert.Equal([2L, 1L], (await stores.Reviews.ListAsync(null, 10, "a")).Items.Select(e => e.Entry));
    }

    [Fact]
    public async Task A_stale_writers_entry_is_not_stored()
    {
        var stores = await NewStoresAsync();
        await ReviewAsync(stores, "s");
        var stale = TestProducts.Pending("s", new string('a', 64)) with { ReviewEntries = 2 };
        await Assert.ThrowsAsync<ProductRevisionConflictException>(() =>
            stores.Products.WriteAsync(new ProductWrite(stale, ExpectedRevision: 0, Reviewed: Entry("s", 2, "Stale"))));

        Assert.Equal([1L], (await stores.Reviews.ListAsync(null, 10)).Items.Select(e => e.Entry));
        Assert.Equal([1L], (await stores.Reviews.ExportAsync(null, 10)).Select(e => e.Entry));
    }

    [Fact]
    public async Task The_export_lists_every_entry_exactly_once_across_pages_while_reviews_go_on()
    {
        var stores = await NewStoresAsync();
        var products = Enumerable.Range(0, 40).Select(i => $"p{i:D2}").ToArray();
        foreach (var id in products)
        {
            await ReviewAsync(stores, id);
        }
        var before = (await stores.Reviews.ExportAsync(null, 1_000)).Select(e => (e.ProductId, e.Entry)).ToList();
        Assert.Equal(40, before.Count);

        // Reviews of products before and after the cursor land while the export pages through (a bounded number, so the
        // export, which takes what lands ahead of its cursor, ends).
        var reviewer = Task.Run(async () =>
        {
            for (var i = 0; i < 200; i++)
            {
                await ReviewAsync(stores, products[i * 7 % products.Length]);
            }
        });
        var exported = new List<(string, long)>();
        (string, long)? after = null;
        // Bounded: an export that handed out pages again must fail here, not hang the run.
        await Eventually.Loop(async () =>
        {
            var page = await stores.Reviews.ExportAsync(after, 7);
            exported.AddRange(page.Select(e => (e.ProductId, e.Entry)));
            after = page.Count == 7 ? (page[^1].ProductId, page[^1].Entry) : after;
            return page.Count < 7;
        }, TimeSpan.FromMinutes(1), "the export to end while reviews land");
        await reviewer;

        Assert.Equal(exported.Count, exported.Distinct().Count());
        Assert.All(before, e => Assert.Contains(e, exported));
        Assert.Equal(exported.OrderBy(e => e.Item1, StringComparer.Ordinal).ThenBy(e => e.Item2), exported);
        var all = (await stores.Reviews.ExportAsync(null, 100_000)).Select(e => (e.ProductId, e.Entry)).ToHashSet();
        Assert.All(exported, e => Assert.Contains(e, all));
    }
}

[Trait("Category", "Unit")]
public sealed class InMemoryReviewLogTests : ReviewLogContract
{
    protected override Task<StoreSet> NewStoresAsync() => Task.FromResult(StoreSet.InMemory());
}

[Collection(PostgresCollection.Name)]
[Trait("Category", "Postgres")]
public sealed class PostgresReviewLogTests(PostgresFixture fixture) : ReviewLogContract
{
    protected override async Task<StoreSet> NewStoresAsync() => StoreSet.Postgres(await fixture.NewDataSourceAsync("reviews"));
}
