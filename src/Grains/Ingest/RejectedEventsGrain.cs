using Enrichment.Abstractions;
using Microsoft.Extensions.Options;

namespace Enrichment.Grains.Ingest;

[GenerateSerializer]
public sealed class RejectedEventsState
{
    [Id(0)] public List<RejectedEvent> Recent { get; set; } = new();
    [Id(1)] public long Total { get; set; }
}

public sealed class RejectedEventsOptions
{
    /// <summary>How many of the most recent rejections are kept; the total count is kept regardless.</summary>
    /// <remarks>
    /// Rows are bounded (about 1.7 K characters at most, see <see cref="RejectedEvent.Bounded"/>) and the whole list is
    /// one state written on every rejection, so this also bounds that write (a few MB at worst, far below Orleans'
    /// 100 MB message limit, and small enough that a flood of rejections does not stall on storage).
    /// </remarks>
    public int MaxKept { get; set; } = 2_000;
}

public sealed class RejectedEventsGrain(
    [PersistentState("rejected", GrainStorageNames.Catalog)] IPersistentState<RejectedEventsState> state,
    IOptions<RejectedEventsOptions> options)
    : Grain, IRejectedEventsGrain
{
    public async Task Record(RejectedEvent rejected)
    {
        state.State.Recent.Add(rejected.Bounded());
        state.State.Total++;
        var overflow = state.State.Recent.Count - options.Value.MaxKept;
        if (overflow > 0)
        {
            state.State.Recent.RemoveRange(0, overflow);
        }
        await state.WriteStateAsync();
    }

    public Task<RejectedPage> List(int skip, int take)
    {
        // Newest first: that is what an operator looks for.
        var items = state.State.Recent.AsEnumerable().Reverse().Skip(Math.Max(0, skip)).Take(Math.Clamp(take, 1, 500)).ToArray();
        return Task.FromResult(new RejectedPage(state.State.Total, items));
    }
}
