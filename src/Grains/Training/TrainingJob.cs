using Enrichment.Abstractions;
using Enrichment.Grains.Serving;
using Enrichment.Models;
using Enrichment.Persistence.Catalog;
using Microsoft.Extensions.Logging;

namespace Enrichment.Grains.Training;

/// <summary>
/// One retraining run, start to finish, on a thread-pool thread of a model silo: export the labelled catalogue,
/// train with per-epoch validation, score the served model on the candidate's validation rows, register the
/// candidate, apply the promotion policy, deploy and optionally re-enrich. The training itself is the model library's
/// <see cref="TrainingPipeline"/>; this class only sequences the cluster's steps.
/// </summary>
public sealed class TrainingJob(IGrainFactory grains, ICatalogReadModel readModel, ModelHostOptions hostOptions, ILogger logger)
{
    private const int MinimumRows = 20;

    private sealed record ExportedCatalog(IReadOnlyList<CatalogRow> Rows, IReadOnlyList<string> ProductIds, string ImagesDir);

    private sealed record Candidate(PreparedTraining Data, TrainingResult Result, string Checkpoint);

    public async Task RunAsync(TrainingRequest request, string workDir, TrainingJobProgress progress, CancellationToken ct)
    {
        var catalog = await ExportAsync(workDir, progress, ct);
        var candidate = Train(request, catalog, workDir, progress, ct);
        var served = await ScoreServedAsync(candidate, catalog, progress, ct);
        var version = await RegisterAsync(candidate, progress, ct);
        var decision = PromotionRule.Decide(request.Policy, request.Tolerance, candidate.Result.BestScore, served.Score);
        await grains.GetGrain<IModelRegistryGrain>(0).RecordVerdict(version.VersionId,
            new VersionVerdict(decision.Outcome, decision.Reason, candidate.Result.BestScore, served.Score, served.Version?.VersionId, DateTimeOffset.UtcNow));
        if (!decision.Promote)
        {
            progress.Update(s => s with { State = decision.Outcome, Message = decision.Reason });
            return;
        }
        await DeployAsync(version, decision, progress);
        if (request.ReEnrich)
        {
            progress.Phase(TrainingJobPhase.ReEnriching);
            await ReEnrichAsync(catalog.ProductIds, ct);
        }
        progress.Update(s => s with { State = TrainingState.Promoted });
    }

    /// <summary>How a cluster request reads as a training plan (the CLI fills the same plan from its options).</summary>
    public static TrainingPlan PlanFor(TrainingRequest request, string? device) => new()
    {
        Model = new ModelOptions
        {
            // Validated on start; an unknown value must never fall back to a network nobody asked for.
            Architecture = request.Architecture switch
            {
                ModelArchitecture.ResNet50 => Architecture.ResNet50,
                ModelArchitecture.ResNet18 => Architecture.ResNet18,
                _ => throw new ArgumentOutOfRangeException(nameof(request), request.Architecture, "unknown architecture"),
            },
            BaseWidth = request.BaseWidth,
        },
        Trainer = new TrainerOptions
        {
            Epochs = request.Epochs,
            BatchSize = request.BatchSize,
            LearningRate = request.LearningRate,
            Seed = request.Seed,
            TimeBudget = request.TimeBudget,
            // A catalogue retraining runs a few epochs of a few hundred iterations: the library's 100-iteration
            // warm-up would take most of the first epoch.
            WarmupIterations = 10,
        },
        Split = new SplitOptions(request.Seed),
        MinClassCount = request.MinClassCount,
        Device = device,
    };

    private async Task<ExportedCatalog> ExportAsync(string workDir, TrainingJobProgress progress, CancellationToken ct)
    {
        progress.Phase(TrainingJobPhase.Exporting);
        var imagesDir = Path.Combine(workDir, "images");
        var export = await new CatalogExporter(readModel, grains).ExportAsync(imagesDir, ct);
        if (export.Rows.Count < MinimumRows)
        {
            throw new InvalidOperationException($"only {export.Rows.Count} products have a photo and a known type and colour; at least {MinimumRows} are needed");
        }
        progress.Update(s => s with { TrainingRows = export.Rows.Count, ReviewedRows = export.ReviewedRows, Phase = TrainingJobPhase.Loading });
        return new ExportedCatalog(export.Rows, export.ProductIds, imagesDir);
    }

    private Candidate Train(TrainingRequest request, ExportedCatalog catalog, string workDir, TrainingJobProgress progress, CancellationToken ct)
    {
        var plan = PlanFor(request, hostOptions.Device);
        var data = TrainingPipeline.Prepare(catalog.Rows, catalog.ImagesDir, plan, cancellationToken: ct);
        var result = TrainingPipeline.Train(data, plan, Path.Combine(workDir, "run"), progress: new SynchronousProgress(progress.Report), cancellationToken: ct);
        return new Candidate(data, result, result.BestCheckpoint ?? throw new InvalidOperationException("training produced no checkpoint"));
    }

    /// <summary>The served model, scored in its own label space on the very rows the candidate was validated on.</summary>
    private async Task<(ModelVersionInfo? Version, double? Score)> ScoreServedAsync(Candidate candidate, ExportedCatalog catalog,
        TrainingJobProgress progress, CancellationToken ct)
    {
        progress.Phase(TrainingJobPhase.ScoringServed);
        var served = await grains.GetGrain<IModelRegistryGrain>(0).GetCurrent();
        double? score = null;
        if (served is not null)
        {
            var dir = await new ModelWeightsStore(grains).DownloadAsync(served, hostOptions.CacheDirectory, ct);
            score = TrainingPipeline.Evaluate(dir, hostOptions.Device, catalog.ImagesDir, _ => candidate.Data.Split.Valid, cancellationToken: ct).Result.Score;
        }
        progress.Update(s => s with { CandidateScore = candidate.Result.BestScore, ServedVersionBefore = served?.VersionId, ServedScore = score });
        return (served, score);
    }

    private async Task<ModelVersionInfo> RegisterAsync(Candidate candidate, TrainingJobProgress progress, CancellationToken ct)
    {
        progress.Phase(TrainingJobPhase.Registering);
        var version = await new ModelWeightsStore(grains).UploadAsync(candidate.Checkpoint, $"training job {progress.Status.JobId}", ct);
        await grains.GetGrain<IModelRegistryGrain>(0).Register(version);
        progress.Update(s => s with { CandidateVersion = version.VersionId });
        return version;
    }

    private async Task DeployAsync(ModelVersionInfo version, PromotionDecision decision, TrainingJobProgress progress)
    {
        progress.Phase(TrainingJobPhase.Deploying);
        var deployment = await grains.GetGrain<IModelDeploymentGrain>(0).Deploy(
            new DeploymentRequest(version.VersionId, $"training job {progress.Status.JobId}", decision.Reason));
        if (!deployment.Deployed)
        {
            throw new InvalidOperationException($"the promotion was refused: {deployment.Refused}");
        }
        var report = deployment.Silos;
        logger.LogInformation("Training job {JobId} promoted {ModelVersion}: {Reason}", progress.Status.JobId, version.VersionId, decision.Reason);
        progress.Update(s => s with
        {
            Message = $"serving {version.VersionId} on {report.Count(r => r.ServedVersion == version.VersionId)} silo(s); {decision.Reason}",
        });
    }

    /// <summary>Throttled so that re-enrichment shares the model silos with live traffic instead of flooding them.</summary>
    private async Task ReEnrichAsync(IReadOnlyList<string> productIds, CancellationToken ct)
    {
        var options = new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = ct };
        await Parallel.ForEachAsync(productIds, options, async (id, _) => await grains.GetGrain<IProductGrain>(id).Enrich(force: true));
    }

    /// <summary>Reports on the trainer's thread; Progress&lt;T&gt; would post to a synchronisation context.</summary>
    private sealed class SynchronousProgress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}
