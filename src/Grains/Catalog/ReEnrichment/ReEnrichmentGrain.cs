using Enrichment.Abstractions;
using Enrichment.Persistence.Catalog;
using Enrichment.Persistence.Queue;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Enrichment.Grains.ReEnrichment;

[GenerateSerializer, Alias("Enrichment.ReEnrichmentJobState")]
public sealed class ReEnrichmentJobState
{
    [Id(0)] public ReEnrichmentStatus? Status { get; set; }
    /// <summary>The versions whose products are still to be queued; the first is the one being paged through.</summary>
    [Id(1)] public List<string> VersionsLeft { get; set; } = [];
    /// <summary>The last product queued of the first version left (pages follow product ids).</summary>
    [Id(2)] public string? After { get; set; }
}

/// <summary>
/// Runs one re-enrichment at a time: pages through the products of each other version in id order (the read model's
/// index), asks each product grain to enrich again, and stores where it got to after every page. The loop runs in
/// this activation beside its calls, so status and cancel answer while it works.
/// </summary>
public sealed class ReEnrichmentGrain(
    [PersistentState("reenrichment", GrainStorageNames.Catalog)] IPersistentState<ReEnrichmentJobState> state,
    ICatalogReadModel readModel,
    IEnrichmentQueue queue,
    IOptions<ReEnrichmentOptions> options,
    TimeProvider time,
    ILogger<ReEnrichmentGrain> logger) : Grain, IReEnrichmentGrain
{
    private CancellationTokenSource? _running;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // A job whose silo stopped goes on from its last stored page.
        if (state.State.Status is { State: ReEnrichmentState.Running })
        {
            Run();
        }
        return Task.CompletedTask;
    }

    public async Task<ReEnrichmentStatus> Start(ReEnrichmentRequest request)
    {
        if (ReEnrichmentPlan.Problem(request) is { } problem)
        {
            throw new ArgumentException(problem);
        }
        if (ReEnrichmentPlan.Continues(state.State.Status, request))
        {
            return state.State.Status!;
        }
        _running?.Cancel();
        var counts = await readModel.CountByModelVersionAsync();
        if (state.State.Status is { State: ReEnrichmentState.Running } old)
        {
            logger.LogInformation("Re-enrichment towards {ModelVersion} superseded by one towards {NewVersion}", old.TargetVersion, request.TargetVersion);
        }
        state.State.Status = new ReEnrichmentStatus
        {
            TargetVersion = request.TargetVersion,
            By = request.By,
            StartedAt = time.GetUtcNow(),
            State = ReEnrichmentState.Running,
            Total = ReEnrichmentPlan.Total(counts, request.TargetVersion),
        };
        state.State.VersionsLeft = ReEnrichmentPlan.VersionsToLeave(counts, request.TargetVersion);
        state.State.After = null;
        await state.WriteStateAsync();
        logger.LogInformation("Re-enrichment towards {ModelVersion} for {By}: {Products} products on {Versions} other version(s)",
            request.TargetVersion, request.By, state.State.Status.Total, state.State.VersionsLeft.Count);
        Run();
        return state.State.Status;
    }

    public Task<ReEnrichmentStatus?> Status() => Task.FromResult(state.State.Status);

    public async Task<ReEnrichmentStatus?> Cancel()
    {
        if (state.State.Status is { State: ReEnrichmentState.Running } running)
        {
            _running?.Cancel();
            await FinishAsync(running with { State = ReEnrichmentState.Cancelled });
        }
        return state.State.Status;
    }

    /// <summary>Starts the loop on this activation's scheduler (it interleaves with calls at its awaits).</summary>
    private void Run()
    {
        _running?.Cancel();
        var run = new CancellationTokenSource();
        _running = run;
        _ = RunAsync(run.Token);
    }

    private async Task RunAsync(CancellationToken ct)
    {
        var o = options.Value;
        try
        {
            while (!ct.IsCancellationRequested)
            {
                this.DelayDeactivation(TimeSpan.FromMinutes(5));
                if (state.State.VersionsLeft.Count == 0)
                {
                    await FinishAsync(state.State.Status! with { State = ReEnrichmentState.Completed, WaitingForQueue = false });
                    return;
                }
                if (await QueueIsFullAsync(o))
                {
                    SetWaiting(true);
                    await Task.Delay(o.QueueWait, time, ct);
                    continue;
                }
                SetWaiting(false);
                var version = state.State.VersionsLeft[0];
                var ids = await readModel.ListByModelVersionAsync(version, state.State.After, o.PageSize, ct);
                foreach (var chunk in ids.Chunk(o.Parallelism))
                {
                    await Task.WhenAll(chunk.Select(id => EnrichAsync(id, o, ct)));
                }
                if (ct.IsCancellationRequested)
                {
                    return; // cancelled or superseded: the state is no longer this loop's
                }
                if (ids.Count < o.PageSize)
                {
                    state.State.VersionsLeft.RemoveAt(0);
                    state.State.After = null;
                }
                else
                {
                    state.State.After = ids[^1];
                }
                state.State.Status = state.State.Status! with { Requested = state.State.Status.Requested + ids.Count };
                await state.WriteStateAsync();
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            logger.LogError(ex, "Re-enrichment towards {ModelVersion} failed after {Requested} products", state.State.Status?.TargetVersion, state.State.Status?.Requested);
            await FinishAsync(state.State.Status! with { State = ReEnrichmentState.Failed, Error = ex.Message, WaitingForQueue = false });
        }
    }

    /// <summary>Measured afresh (not the stats grain's reading, which may predate this job's last page), so the bound holds.</summary>
    private async Task<bool> QueueIsFullAsync(ReEnrichmentOptions o) => (await queue.GetStatsAsync()).Depth >= o.MaxQueueDepth;

    private void SetWaiting(bool waiting)
    {
        if (state.State.Status!.WaitingForQueue != waiting)
        {
            state.State.Status = state.State.Status with { WaitingForQueue = waiting };
        }
    }

    /// <summary>Storage failures are retried with a doubling delay, up to the attempt budget; then the job fails (and can be started again).</summary>
    private async Task EnrichAsync(string productId, ReEnrichmentOptions o, CancellationToken ct)
    {
        var delay = o.RetryDelay;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await GrainFactory.GetGrain<IProductGrain>(productId).Enrich(force: true);
                return;
            }
            catch (StorageUnavailableException) when (attempt < o.Attempts && !ct.IsCancellationRequested)
            {
                await Task.Delay(delay, time, ct);
                delay *= 2;
            }
        }
    }

    private async Task FinishAsync(ReEnrichmentStatus finished)
    {
        state.State.Status = finished with { FinishedAt = time.GetUtcNow() };
        state.State.VersionsLeft = [];
        state.State.After = null;
        await state.WriteStateAsync();
        logger.LogInformation("Re-enrichment towards {ModelVersion} {Outcome}: {Requested} of {Total} products queued",
            finished.TargetVersion, finished.State, finished.Requested, finished.Total);
    }
}
