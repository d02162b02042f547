using System.ComponentModel.DataAnnotations;
using Enrichment.Abstractions;
using Enrichment.Persistence.Rejections;
using Orleans.Concurrency;

namespace Enrichment.Grains.Ingest;

/// <summary>The rejection log's bound; bound from "Enrichment:RejectedEvents" and validated on start.</summary>
public sealed class RejectedEventsOptions
{
    public const string Section = "Enrichment:RejectedEvents";

    /// <summary>How many of the most recent rejections the log keeps (rows are bounded, so this bounds its size).</summary>
    [Range(1, 100_000_000)]
    public int MaxKept { get; set; } = 100_000;
}

/// <summary>Records and lists rejections in the log; stateless, so any silo answers and none holds the list.</summary>
[StatelessWorker]
public sealed class RejectedEventsGrain(IRejectedEventLog log) : Grain, IRejectedEventsGrain
{
    public Task Record(RejectedEvent rejected) => log.AppendAsync(rejected);

    public Task<RejectedPage> List(string? before, int take) => ListMatching(RejectedFilter.None, before, take);

    public Task<RejectedPage> ListMatching(RejectedFilter filter, string? before, int take)
    {
        if ((RejectedPage.TakeProblem(take) ?? filter.Problem()) is { } problem)
        {
            throw new ArgumentException(problem);
        }
        return log.ListAsync(RejectedPage.ParseCursor(before), take, filter);
    }
}
