using Enrichment.Abstractions;
using Enrichment.Grains.Serving;
using Microsoft.Extensions.Logging;

namespace Enrichment.Grains.Training;

[GenerateSerializer]
public sealed class TrainingGrainState
{
    [Id(0)] public TrainingJobStatus? Current { get; set; }
    [Id(1)] public List<TrainingJobStatus> History { get; set; } = new();
}

/// <summary>
/// The training coordinator. It lives on a model silo, starts jobs on that silo's <see cref="TrainingRunner"/> and
/// mirrors their progress into durable state once a second; no call ever waits for training itself.
/// </summary>
[AcceleratorPlacementFilter]
public sealed class TrainingGrain(
    [PersistentState("training", GrainStorageNames.Catalog)] IPersistentState<TrainingGrainState> state,
    TrainingRunner runner, ILocalSiloDetails silo, ILogger<TrainingGrain> logger) : Grain, ITrainingGrain
{
    private const int HistoryKept = 50;
    private IGrainTimer? _poll;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (state.State.Current is { IsFinished: false } running)
        {
            if (runner.TryGetStatus(running.JobId) is null)
            {
                // The job's silo is gone (this activation is new), and with it the job: say so, keep serving as is.
                logger.LogWarning("Training job {JobId} on {Silo} was lost with its silo", running.JobId, running.Silo);
                await FinishAsync(running with
                {
                    State = TrainingState.Failed,
                    FinishedAt = DateTimeOffset.UtcNow,
                    Message = $"the training silo {running.Silo} stopped during phase '{running.Phase}'; the served model was left unchanged",
                });
            }
            else
            {
                StartPolling();
            }
        }
    }

    public async Task<TrainingJobStatus> Start(TrainingRequest request)
    {
        if (state.State.Current is { IsFinished: false } running)
        {
            throw new InvalidOperationException($"training job {running.JobId} is still running (phase {running.Phase})");
        }
        if (TrainingRequestRules.Validate(request) is { Count: > 0 } errors)
        {
            throw new ArgumentException(string.Join("; ", errors));
        }
        var status = runner.Start(new TrainingJobStatus
        {
            JobId = $"job-{DateTimeOffset.UtcNow:yyyyMMdd-HHmmss}-{Guid.NewGuid().ToString("N")[..6]}",
            State = TrainingState.Running,
            Request = request,
            Silo = silo.SiloAddress.ToString(),
            StartedAt = DateTimeOffset.UtcNow,
        });
        state.State.Current = status;
        await state.WriteStateAsync();
        StartPolling();
        return status;
    }

    public async Task<TrainingJobStatus?> GetStatus()
    {
        // Fold in the runner's latest report now, so a finished job is in the history as soon as anyone sees it.
        await PollAsync();
        return state.State.Current;
    }

    public Task<TrainingJobStatus[]> History() => Task.FromResult(state.State.History.AsEnumerable().Reverse().ToArray());

    public async Task<TrainingJobStatus?> Cancel()
    {
        if (state.State.Current is { IsFinished: false } running)
        {
            runner.Cancel(running.JobId);
        }
        return await GetStatus();
    }

    private void StartPolling() =>
        _poll ??= this.RegisterGrainTimer(PollAsync, new GrainTimerCreationOptions
        {
            DueTime = TimeSpan.FromSeconds(1),
            Period = TimeSpan.FromSeconds(1),
            KeepAlive = true,
        });

    private async Task PollAsync()
    {
        if (state.State.Current is not { IsFinished: false } current)
        {
            return;
        }
        var live = runner.TryGetStatus(current.JobId);
        if (live is null)
        {
            return;
        }
        if (live.IsFinished)
        {
            await FinishAsync(live);
            return;
        }
        state.State.Current = live;
        await state.WriteStateAsync();
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
        _poll?.Dispose();
        _poll = null;
    }
}
