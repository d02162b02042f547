using Enrichment.Abstractions;
using Enrichment.Grains.Queue;

namespace Enrichment.Grains.Tests.Queue;

[Trait("Category", "Unit")]
public sealed class WorkItemRulesTests
{
    private static readonly DateTimeOffset Queued = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);
    private static readonly EnrichmentQueueOptions Options = new()
    {
        RetryInitialDelay = TimeSpan.FromSeconds(1), RetryMaxDelay = TimeSpan.FromSeconds(30), MaxAttempts = 5, OrphanGrace = TimeSpan.FromMinutes(2),
    };

    private static EnrichmentWorkItem Item(int attempt) => new("p1", "img", Sequence: 7, attempt, Queued);

    [Fact]
    public void An_applied_answer_removes_the_item() =>
        Assert.Null(WorkItemRules.After(Item(1), EnrichmentCompletion.Applied, "", Queued.AddSeconds(1), Options));

    [Fact]
    public void A_later_answer_retries_with_doubling_delays_and_parks_when_the_budget_is_spent()
    {
        var delays = Enumerable.Range(1, 5).Select(a => WorkItemRules.After(Item(a), EnrichmentCompletion.Retry, "busy", Queued, Options)!.Delay).ToList();
        Assert.Equal([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(8), null], delays);
        Assert.Equal("busy", WorkItemRules.After(Item(1), EnrichmentCompletion.Retry, "busy", Queued, Options)!.Error);
    }

    [Theory]
    [InlineData(EnrichmentCompletion.NotFound)]
    [InlineData(EnrichmentCompletion.Obsolete)]
    public void Nothing_to_do_is_asked_again_while_a_racing_write_may_land_and_trusted_after_the_grace_period(EnrichmentCompletion answer)
    {
        // A product is queued just before the write that makes it wait: an early "nothing here" may be a stale view.
        var early = WorkItemRules.After(Item(1), answer, "", Queued.AddSeconds(5), Options);
        Assert.NotNull(early);
        Assert.Equal(TimeSpan.FromSeconds(1), early.Delay);

        Assert.Null(WorkItemRules.After(Item(3), answer, "", Queued + Options.OrphanGrace, Options));
    }

    [Fact]
    public void A_failure_on_the_way_retries_within_the_budget()
    {
        var retry = WorkItemRules.AfterFailure(Item(2), new InvalidOperationException("silo gone"), Options);
        Assert.Equal((TimeSpan.FromSeconds(2), "silo gone"), (retry.Delay!.Value, retry.Error));
        Assert.Null(WorkItemRules.AfterFailure(Item(5), new InvalidOperationException("silo gone"), Options).Delay);
    }
}
