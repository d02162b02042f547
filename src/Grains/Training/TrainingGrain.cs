using Enrichment.Grains.Placement;
using Enrichment.Abstractions;
using Enrichment.Grains.Serving;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Enrichment.Grains.Training;

[GenerateSerializer, Alias("Enrichment.TrainingGrainState")]
public sealed class TrainingGrainState
{
    [Id(0)] public TrainingJobStatus? Current { get; set; }
    [Id(1)] public List<TrainingJobStatus> History { get; set; } = new();
}

/// <summary>
/// The training coordinator. It starts jobs on its silo's <see cref="TrainingRunner"/>; from then on the job reports
/// to this grain (wherever it lives), which keeps the latest report in memory for readers and writes storage only at
/// milestones (<see cref="TrainingStatusRules.IsMilestone"/>). Reads never write. A job that stops reporting for
/// <see cref="TrainingOptions.LostAfter"/> is declared lost with its silo.
/// </summary>
[AcceleratorPlacementFilter]
public sealed class TrainingGrain(
    [PersistentState("training", GrainStorageNames.Catalog)] IPersistentState<TrainingGrainState> state,
    TrainingRunner runner, ILocalSiloDetails silo, ISiloStatusOracle membership, IOptions<TrainingOptions> options, TimeProvider time,
    ILogger<TrainingGrain> logger)
    : Grain, ITrainingGrain, ITrainingProgressGrain
{
    private const int HistoryKept = 50;
    private TrainingJobStatus? _live;
    private DateTimeOffset _lastReport;
    private bool _cancelRequested;
    private IGrainTimer? _watch;

    private TrainingJobStatus? Running => state.State.Current is { IsFinished: false } running ? running : null;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (Running is { } running)
        {
            if (IsDeclaredDead(running.Silo))
            {
                await CheckSilenceAsync(); // its silo is gone: failed now, not LostAfter from now
                return;
            }
            // The job may still be running on another silo: give it the full silence allowance to report here.
            Watch();
        }
    }

    /// <summary>Whether membership has declared the silo named <paramref name="siloName"/> (a job's silo) dead.</summary>
    private bool IsDeclaredDead(string? siloName) =>
        siloName is not null && membership.GetApproximateSiloStatuses(onlyActive: false)
            .Any(s => s.Value == SiloStatus.Dead && s.Key.ToString() == siloName);

    public async Task<TrainingJobStatus> Start(TrainingRequest request)
    {
        if (Running is { } running)
        {
            throw new InvalidOperationException($"training job {running.JobId} is still running (phase {running.Phase})");
        }
        if (TrainingRequestRules.Validate(request) is { Count: > 0 } errors)
        {
            throw new ArgumentException(string.Join("; ", errors));
        }
        // The job runs on this silo: refused here, before anything is allocated, if this silo cannot hold it.
        var estimate = TrainingMemory.EstimateBytes(request);
        var limit = options.Value.MemoryLimitBytes();
        if (estimate > limit)
        {
            throw new ArgumentException(
                $"this job needs about {TrainingMemory.Format(estimate)} of memory by estimate ({ModelArchitectureJsonConverter.Name(request.Architecture)}, " +
                $"baseWidth {request.BaseWidth}, batchSize {request.BatchSize?.ToString() ?? $"fitted, at most {TrainingMemory.LargestFittedBatch}"}); " +
                $"the silo that runs it allows {TrainingMemory.Format(limit)} ({TrainingOptions.Section}:{nameof(TrainingOptions.MaxMemoryBytes)}): " +
                "ask for a smaller batchSize or baseWidth");
        }
        var status = new TrainingJobStatus
        {
            JobId = $"job-{time.GetUtcNow():yyyyMMdd-HHmmss}-{Guid.NewGuid().ToString("N")[..6]}",
            State = TrainingState.Running,
            Request = request,
            Silo = silo.SiloAddress.ToString(),
            StartedAt = time.GetUtcNow(),
        };
        // Stored before the job starts, so that its first report always finds it.
        state.State.Current = status;
        await state.WriteStateAsync();
        (_live, _cancelRequested) = (null, false);
        Watch();
        return runner.Start(status);
    }

    public Task<TrainingJobStatus?> GetStatus() => Task.FromResult(Running is not null ? _live ?? state.State.Current : state.State.Current);

    public Task<TrainingJobStatus[]> History() => Task.FromResult(state.State.History.AsEnumerable().Reverse().ToArray());

    public async Task<TrainingJobStatus?> Cancel()
    {
        if (Running is { } running)
        {
            _cancelRequested = true;
            // Immediate when the job runs here; otherwise its next report learns it.
            runner.Cancel(running.JobId);
        }
        return await GetStatus();
    }

    public Task<bool> Evaluate(string versionId) => Task.FromResult(runner.StartEvaluation(versionId));

    public async Task<bool> Report(TrainingJobStatus status)
    {
        if (Running is not { } running || running.JobId != status.JobId)
        {
            return false;
        }
        _lastReport = time.GetUtcNow();
        if (status.IsFinished)
        {
            await FinishAsync(status);
            return true;
        }
        _live = status;
        if (TrainingStatusRules.IsMilestone(running, status))
        {
            state.State.Current = status;
            await state.WriteStateAsync();
        }
        return !_cancelRequested;
    }

    private void Watch()
    {
        _lastReport = time.GetUtcNow();
        var every = options.Value.LostAfter / 3;
        _watch ??= this.RegisterGrainTimer(CheckSilenceAsync, new GrainTimerCreationOptions { DueTime = every, Period = every, KeepAlive = true });
    }

    private async Task CheckSilenceAsync()
    {
        // Silent for LostAfter, or running on a silo the cluster has already declared dead (this grain, reactivated
        // after its own silo died with the job, used to give it LostAfter again from its reactivation: 73-89 s in all).
        if (Running is not { } running
            || (time.GetUtcNow() - _lastReport < options.Value.LostAfter && !IsDeclaredDead(running.Silo)))
        {
            return;
        }
        var last = _live ?? running;
        logger.LogWarning("Training job {JobId} on {Silo} stopped reporting; taken as lost with its silo", running.JobId, running.Silo);
        await FinishAsync(last with
        {
            State = TrainingState.Failed,
            FinishedAt = time.GetUtcNow(),
            Message = $"the training silo {running.Silo} stopped during phase '{last.Phase}'; the served model was left unchanged",
        });
    }

    private async Task FinishAsync(TrainingJobStatus finished)
    {
        state.State.Current = finished;
        state.State.History.Add(finished);
        if (state.State.History.Count > HistoryKept)
        {
            state.State.History.RemoveAt(0);
        }
        await state.WriteStateAsync();
        _live = null;
        _watch?.Dispose();
        _watch = null;
    }
}
