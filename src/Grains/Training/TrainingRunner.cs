using System.Collections.Concurrent;
using Enrichment.Abstractions;
using Enrichment.Grains.Diagnostics;
using Enrichment.Grains.Serving;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Enrichment.Persistence.Catalog;

namespace Enrichment.Grains.Training;

/// <summary>
/// Runs training jobs on this silo's thread pool, outside any grain call, and keeps their live progress.
/// A job exists only in this process: if the silo dies, the training grain finds no job here and marks it failed.
/// </summary>
public sealed class TrainingRunner : IDisposable
{
    private readonly ConcurrentDictionary<string, (TrainingJobProgress Progress, CancellationTokenSource Cancel)> _jobs = new();
    private readonly IGrainFactory _grains;
    private readonly ICatalogReadModel _readModel;
    private readonly IOptions<ModelHostOptions> _hostOptions;
    private readonly EnrichmentMetrics _metrics;
    private readonly ILogger<TrainingRunner> _logger;

    public TrainingRunner(IGrainFactory grains, ICatalogReadModel readModel, IOptions<ModelHostOptions> hostOptions, EnrichmentMetrics metrics,
        ILogger<TrainingRunner> logger)
    {
        (_grains, _readModel, _hostOptions, _metrics, _logger) = (grains, readModel, hostOptions, metrics, logger);
        metrics.ObserveTraining(() => _jobs.Values.Select(j => j.Progress.Status).Where(s => !s.IsFinished)
            .Select(s => (s.JobId, s.Epoch, s.Request.Epochs)).ToList());
    }

    public TrainingJobStatus Start(TrainingJobStatus initial)
    {
        var progress = new TrainingJobProgress(initial);
        var cancel = new CancellationTokenSource();
        _jobs[initial.JobId] = (progress, cancel);
        _ = Task.Run(() => RunAsync(initial.Request, progress, cancel.Token));
        return progress.Status;
    }

    public TrainingJobStatus? TryGetStatus(string jobId) => _jobs.TryGetValue(jobId, out var job) ? job.Progress.Status : null;

    public bool Cancel(string jobId)
    {
        if (!_jobs.TryGetValue(jobId, out var job))
        {
            return false;
        }
        job.Cancel.Cancel();
        return true;
    }

    private async Task RunAsync(TrainingRequest request, TrainingJobProgress progress, CancellationToken ct)
    {
        var jobId = progress.Status.JobId;
        var workDir = Path.Combine(Path.GetTempPath(), "enrichment-training", jobId);
        try
        {
            _logger.LogInformation("Training job {JobId} started: {Request}", jobId, request);
            await new TrainingJob(_grains, _readModel, _hostOptions.Value, _logger).RunAsync(request, workDir, progress, ct);
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
            progress.Update(s => s with { FinishedAt = DateTimeOffset.UtcNow, Phase = "finished" });
            _metrics.TrainingJobFinished(progress.Status.State.ToString());
            TryDelete(workDir);
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
        foreach (var job in _jobs.Values)
        {
            job.Cancel.Cancel();
            job.Cancel.Dispose();
        }
    }
}
