using Enrichment.Abstractions;
using Enrichment.Persistence.Rejections;

namespace Enrichment.Persistence.Tests.Rejections;

/// <summary>The contract every <see cref="IRejectedEventLog"/> keeps, run against PostgreSQL and memory alike.</summary>
public abstract class RejectedEventLogContract
{
    protected abstract Task<IRejectedEventLog> NewLogAsync(int keep);

    private static RejectedEvent Rejection(int n, string? reason = null) =>
        new("test:" + n, $"e{n}", $"p{n}", reason ?? $"reason {n}", "{\"raw\":" + n + "}", DateTimeOffset.UtcNow);

    /// <summary>Every page older than <paramref name="nextCursor"/>, followed to the last one.</summary>
    private static async Task<List<RejectedEvent>> ReadOlderAsync(IRejectedEventLog log, string? nextCursor, int take)
    {
        var all = new List<RejectedEvent>();
        for (var pages = 0; nextCursor is not null; pages++)
        {
            // Bounded: a cursor that never runs out must fail the test, not hang the run. No test keeps this many rows.
            Assert.True(pages < 10_000, $"paging did not end after {pages} pages ({all.Count} rows)");
            var page = await log.ListAsync(RejectedPage.ParseCursor(nextCursor), take);
            all.AddRange(page.Items);
            nextCursor = page.NextCursor;
        }
        return all;
    }

    [Fact]
    public async Task Rejections_are_listed_newest_first_with_their_reasons()
    {
        var log = await NewLogAsync(keep: 1000);
        for (var i = 1; i <= 3; i++)
        {
            await log.AppendAsync(Rejection(i));
        }

        var page = await log.ListAsync(null, 2);
        Assert.Equal(3, page.Total);
        Assert.Equal(["p3", "p2"], page.Items.Select(r => r.ProductId));
        Assert.Equal("reason 3", page.Items[0].Reason);
        var rest = await log.ListAsync(RejectedPage.ParseCursor(page.NextCursor), 2);
        Assert.Equal(["p1"], rest.Items.Select(r => r.ProductId));
        Assert.Null(rest.NextCursor);
    }

    [Fact]
    public async Task Paging_back_while_rejections_keep_arriving_sees_every_older_row_once()
    {
        var log = await NewLogAsync(keep: 100_000);
        for (var i = 0; i < 2000; i++)
        {
            await log.AppendAsync(Rejection(i));
        }
        var first = await log.ListAsync(null, 97);
        using var stop = new CancellationTokenSource();
        var writer = Task.Run(async () =>
        {
            for (var i = 2000; !stop.IsCancellationRequested; i++)
            {
                await log.AppendAsync(Rejection(i));
            }
        });

        var seen = first.Items.Concat(await ReadOlderAsync(log, first.NextCursor, 97)).Select(r => r.ProductId!).ToList();
        await stop.CancelAsync();
        await writer;

        Assert.Equal(Enumerable.Range(0, 2000).Reverse().Select(i => $"p{i}"), seen);
    }

    [Fact]
    public async Task Rows_are_bounded_whatever_the_sender_wrote()
    {
        var log = await NewLogAsync(keep: 10);
        var huge = new string('x', 200_000);
        await log.AppendAsync(new RejectedEvent(huge, huge, huge, huge, huge, DateTimeOffset.UtcNow));

        var row = Assert.Single((await log.ListAsync(null, 10)).Items);
        Assert.True(row.Reason.Length <= RejectedEvent.MaxReasonLength + 50);
        Assert.True(row.RawExcerpt!.Length <= RejectedEvent.MaxExcerptLength + 50);
        Assert.True(row.Source.Length <= RejectedEvent.MaxSourceLength + 50);
        Assert.Contains("more characters", row.Reason);
    }

    [Fact]
    public async Task The_log_keeps_its_newest_rows()
    {
        var log = await NewLogAsync(keep: 5);
        for (var i = 1; i <= 2100; i++)
        {
            await log.AppendAsync(Rejection(i));
        }

        var page = await log.ListAsync(null, 500);
        Assert.Equal(5, page.Total);
        Assert.Equal(["p2100", "p2099", "p2098", "p2097", "p2096"], page.Items.Select(r => r.ProductId));
        Assert.Null(page.NextCursor);
    }

    [Fact]
    public async Task Rejections_are_filtered_by_reason_text_and_by_product_id_page_by_page()
    {
        var log = await NewLogAsync(keep: 1000);
        var now = DateTimeOffset.UtcNow;
        await log.AppendAsync(new RejectedEvent("s", "e1", "p1", "imageBase64 is not valid base64", null, now));
        await log.AppendAsync(new RejectedEvent("s", "e2", "p2", "productId 'p 2' may contain only letters", null, now));
        await log.AppendAsync(new RejectedEvent("s", "e3", "p1", "name is required", null, now));
        await log.AppendAsync(new RejectedEvent("s", "e4", "p3", "IMAGEBASE64 IS NOT VALID BASE64; 50%_off", null, now));
        await log.AppendAsync(new RejectedEvent("s", null, null, "malformed JSON at line 1, byte 2", null, now));

        // "total: event ids, newest first"
        async Task<string> List(RejectedFilter filter)
        {
            var page = await log.ListAsync(null, 10, filter);
            return $"{page.Total}: {string.Join(",", page.Items.Select(r => r.EventId ?? "-"))}";
        }

        Assert.Equal("2: e4,e1", await List(new RejectedFilter(Reason: "base64")));
        Assert.Equal("2: e3,e1", await List(new RejectedFilter(ProductId: "p1")));
        Assert.Equal("1: e1", await List(new RejectedFilter("Base64", "p1")));
        Assert.Equal("0: ", await List(new RejectedFilter(ProductId: "P1"))); // ids are exact
        Assert.Equal("1: e4", await List(new RejectedFilter(Reason: "%_"))); // wildcards are plain text
        Assert.Equal("0: ", await List(new RejectedFilter(Reason: "nothing says this")));
        Assert.Equal("5: -,e4,e3,e2,e1", await List(RejectedFilter.None));

        // A filtered page continues, with the same filter, from its cursor.
        var first = await log.ListAsync(null, 1, new RejectedFilter(Reason: "base64"));
        Assert.Equal(["e4"], first.Items.Select(r => r.EventId));
        var second = await log.ListAsync(RejectedPage.ParseCursor(first.NextCursor), 1, new RejectedFilter(Reason: "base64"));
        Assert.Equal(["e1"], second.Items.Select(r => r.EventId));
        Assert.Null(second.NextCursor);
    }

    [Theory]
    [InlineData("x")]
    [InlineData("-1")]
    [InlineData("0")]
    [InlineData("1.5")]
    public void A_cursor_the_api_did_not_issue_is_refused(string cursor) =>
        Assert.Throws<ArgumentException>(() => RejectedPage.ParseCursor(cursor));
}

[Trait("Category", "Unit")]
public sealed class InMemoryRejectedEventLogTests : RejectedEventLogContract
{
    protected override Task<IRejectedEventLog> NewLogAsync(int keep) => Task.FromResult<IRejectedEventLog>(new InMemoryRejectedEventLog(keep));
}

[Collection(PostgresCollection.Name)]
[Trait("Category", "Postgres")]
public sealed class PostgresRejectedEventLogTests(PostgresFixture fixture) : RejectedEventLogContract
{
    protected override async Task<IRejectedEventLog> NewLogAsync(int keep) =>
        new PostgresRejectedEventLog(await fixture.NewDataSourceAsync("rejected"), keep);

    [Fact]
    public async Task The_table_itself_stays_within_the_bound_plus_one_trim_interval()
    {
        var source = await fixture.NewDataSourceAsync("rejected_trim");
        var log = new PostgresRejectedEventLog(source, keep: 5);
        for (var i = 1; i <= 3500; i++)
        {
            await log.AppendAsync(new RejectedEvent("s", null, $"p{i}", "r", null, DateTimeOffset.UtcNow));
        }
        await using var count = source.CreateCommand("SELECT count(*) FROM rejected_events");
        Assert.InRange((long)(await count.ExecuteScalarAsync())!, 5, 5 + 1000);
    }
}
