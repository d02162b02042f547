using Enrichment.Abstractions;
using Enrichment.Grains.Queue;

namespace Enrichment.Grains.Tests.Queue;

[Trait("Category", "Unit")]
public sealed class WorkItemRulesTests
{
    private static readonly DateTimeOffset Queued = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);
    private static readonly EnrichmentQueueOptions Options = new()
    {
        RetryInitialDelay = TimeSpan.FromSeconds(1), RetryMaxDelay = TimeSpan.FromSeconds(30), MaxAttempts = 5,
    };

    private static EnrichmentWorkItem Item(int attempt) => new("p1", "img", Sequence: 7, attempt, Queued);

    [Theory]
    [InlineData(EnrichmentCompletion.Applied, WorkItemNext.RemovedWithProduct)]
    [InlineData(EnrichmentCompletion.Retry, WorkItemNext.Retry)]
    [InlineData(EnrichmentCompletion.NotFound, WorkItemNext.Remove)]
    [InlineData(EnrichmentCompletion.Obsolete, WorkItemNext.Remove)]
    public void Each_answer_decides_the_items_fate(EnrichmentCompletion answer, WorkItemNext next) =>
        Assert.Equal(next, WorkItemRules.Next(answer));

    [Fact]
    public void A_later_answer_retries_with_doubling_delays_and_parks_when_the_budget_is_spent()
    {
        var delays = Enumerable.Range(1, 5).Select(a => WorkItemRules.Later(Item(a), "busy", Options).Delay).ToList();
        Assert.Equal([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(8), null], delays);
        Assert.Equal("busy", WorkItemRules.Later(Item(1), "busy", Options).Error);
    }

    [Fact]
    public void A_failure_on_the_way_retries_within_the_budget()
    {
        var retry = WorkItemRules.AfterFailure(Item(2), new InvalidOperationException("silo gone"), Options);
        Assert.Equal((TimeSpan.FromSeconds(2), "silo gone"), (retry.Delay!.Value, retry.Error));
        Assert.Null(WorkItemRules.AfterFailure(Item(5), new InvalidOperationException("silo gone"), Options).Delay);
    }
}
