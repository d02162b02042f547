using Enrichment.Grains.Catalog;
using System.Collections.Concurrent;
using Enrichment.Abstractions;
using Enrichment.Abstractions.Diagnostics;
using Enrichment.Grains.Diagnostics;
using Enrichment.Grains.Serving;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Enrichment.Persistence.Catalog;

namespace Enrichment.Grains.Training;

/// <summary>
/// Runs training jobs on this silo's thread pool, outside any grain call, and reports each job's progress to the
/// training grain every <see cref="TrainingOptions.ReportInterval"/>, wherever that grain lives: the two need not
/// share a silo. A job exists only in this process; if the silo dies its reports stop and the grain declares it lost.
/// </summary>
public sealed class TrainingRunner : IDisposable
{
    private readonly ConcurrentDictionary<string, (TrainingJobProgress Progress, CancellationTokenSource Cancel)> _jobs = new();
    private readonly IGrainFactory _grains;
    private readonly ICatalogReadModel _readModel;
    private readonly IOptions<ModelHostOptions> _hostOptions;
    private readonly TrainingOptions _options;
    private readonly EvaluationSetOptions _evaluation;
    private readonly EnrichmentMetrics _metrics;
    private readonly ILogger<TrainingRunner> _logger;
    private readonly RepeatedFailureLog _reportFailures;
    private readonly CancellationTokenSource _stopping = new();
    private int _evaluating;

    public TrainingRunner(IGrainFactory grains, ICatalogReadModel readModel, IOptions<ModelHostOptions> hostOptions, IOptions<TrainingOptions> options,
        IOptions<EvaluationSetOptions> evaluation, EnrichmentMetrics metrics, ILogger<TrainingRunner> logger)
    {
        (_grains, _readModel, _hostOptions, _options, _metrics, _logger) = (grains, readModel, hostOptions, options.Value, metrics, logger);
        _evaluation = evaluation.Value;
        _reportFailures = new RepeatedFailureLog(logger, TimeSpan.FromMinutes(1));
        metrics.ObserveTraining(() => _jobs.Values.Select(j => j.Progress.Status).Where(s => !s.IsFinished)
            .Select(s => (s.JobId, s.Epoch, s.Request.Epochs ?? 0)).ToList());
    }

    public TrainingJobStatus Start(TrainingJobStatus initial)
    {
        var progress = new TrainingJobProgress(initial);
        var cancel = new CancellationTokenSource();
        _jobs[initial.JobId] = (progress, cancel);
        var run = Task.Run(() => RunAsync(initial.Request, progress, cancel.Token));
        _ = Task.Run(() => ReportAsync(progress, cancel, run));
        return progress.Status;
    }

    /// <summary>
    /// Scores <paramref name="versionId"/> on the evaluation set in the background (one at a time per silo: a request
    /// while one runs is dropped, the caller sees the score appear on the version when it is recorded).
    /// </summary>
    public bool StartEvaluation(string versionId)
    {
        if (Interlocked.CompareExchange(ref _evaluating, 1, 0) != 0)
        {
            return false;
        }
        _ = Task.Run(async () =>
        {
            var workDir = Path.Combine(Path.GetTempPath(), "enrichment-evaluation", Guid.NewGuid().ToString("N"));
            try
            {
                await new VersionEvaluator(_grains, _readModel, _hostOptions.Value, _evaluation, _logger).EvaluateAsync(versionId, workDir, _stopping.Token);
            }
            catch (Exception ex)
            {
                _logger.LogWarning("Scoring {ModelVersion} on the evaluation set failed: {Error}", versionId, ex.GetBaseException().Message);
            }
            finally
            {
                TryDelete(workDir);
                Volatile.Write(ref _evaluating, 0);
            }
        });
        return true;
    }

    /// <summary>Stops a job of this silo at once (the grain's cancel also reaches it through the next report).</summary>
    public void Cancel(string jobId)
    {
        if (_jobs.TryGetValue(jobId, out var job))
        {
            try
            {
                job.Cancel.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // Finished and reported in the meantime.
            }
        }
    }

    private async Task RunAsync(TrainingRequest request, TrainingJobProgress progress, CancellationToken ct)
    {
        var jobId = progress.Status.JobId;
        var workDir = Path.Combine(Path.GetTempPath(), "enrichment-training", jobId);
        try
        {
            _logger.LogInformation("Training job {JobId} started: {Request}", jobId, request);
            await new TrainingJob(_grains, _readModel, _hostOptions.Value, _evaluation, _logger).RunAsync(request, workDir, progress, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            progress.Update(s => s with { State = TrainingState.Cancelled, Message = "cancelled; the served model was left unchanged" });
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "Training job {JobId} failed", jobId);
            progress.Update(s => s with { State = TrainingState.Failed, Message = ex.GetBaseException().Message });
        }
        finally
        {
            progress.Update(s => s with { FinishedAt = DateTimeOffset.UtcNow, Phase = TrainingJobPhase.Finished });
            _metrics.TrainingJobFinished(progress.Status.State.ToString());
            TryDelete(workDir);
        }
    }

    /// <summary>
    /// Reports until the job has finished and its final status was delivered (retrying while the grain is moving
    /// between silos), then forgets the job. A "stop" answer cancels the job.
    /// </summary>
    private async Task ReportAsync(TrainingJobProgress progress, CancellationTokenSource cancel, Task run)
    {
        var jobId = progress.Status.JobId;
        var coordinator = _grains.GetGrain<ITrainingProgressGrain>(0);
        // A finished job's last report gets a bounded number of tries: past LostAfter the grain has written it off.
        var finalTries = Math.Max(3, (int)(_options.LostAfter / _options.ReportInterval));
        try
        {
            while (true)
            {
                var finished = run.IsCompleted;
                try
                {
                    var goOn = await coordinator.Report(progress.Status);
                    if (finished)
                    {
                        return;
                    }
                    if (!goOn)
                    {
                        cancel.Cancel();
                    }
                }
                catch (Exception ex)
                {
                    _reportFailures.Report($"Reporting training job {jobId}", ex);
                    if (finished && --finalTries <= 0)
                    {
                        return;
                    }
                }
                // The job's end is reported at once; a failed final report is retried at the usual pace.
                await (run.IsCompleted ? Task.Delay(_options.ReportInterval) : Task.WhenAny(run, Task.Delay(_options.ReportInterval)));
            }
        }
        finally
        {
            _jobs.TryRemove(jobId, out _);
            cancel.Dispose();
        }
    }

    private void TryDelete(string dir)
    {
        try
        {
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, recursive: true);
            }
        }
        catch (IOException ex)
        {
            _logger.LogWarning(ex, "Could not remove training work folder {Folder}", dir);
        }
    }

    public void Dispose()
    {
        _stopping.Cancel();
        foreach (var job in _jobs.Values)
        {
            try
            {
                job.Cancel.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // Its report loop has just finished with it.
            }
        }
    }
}
