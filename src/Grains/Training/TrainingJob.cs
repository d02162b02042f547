using Enrichment.Grains.Catalog;
using Enrichment.Abstractions;
using Enrichment.Grains.Serving;
using Enrichment.Evaluation;
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
public sealed class TrainingJob(IGrainFactory grains, ICatalogReadModel readModel, ModelHostOptions hostOptions, EvaluationSetOptions evaluation,
    ILogger logger)
{
    private const int MinimumRows = 20;

    private sealed record ExportedCatalog(IReadOnlyList<CatalogRow> Rows, IReadOnlyList<CatalogRow> EvaluationRows, IReadOnlyList<string> ProductIds, string ImagesDir);

    private sealed record Candidate(PreparedTraining Data, TrainingResult Result, string Checkpoint);

    /// <summary>Both models' scores on the same rows, and which rows those were.</summary>
    private sealed record Comparison(ModelVersionInfo? Served, ScoredVersion Candidate, ScoredVersion? ServedQuality, int Rows, bool OnEvaluationSet)
    {
        public double CandidateScore => Candidate.Score;
        public double? ServedScore => ServedQuality?.Score;
        public string Basis => (OnEvaluationSet ? $"on the {Rows} evaluation-set rows" : $"on the candidate's {Rows} validation rows (the evaluation set is too small)")
            + $"; score = mean of type and colour top-1 of each model with every input it reads (candidate {Candidate.Served.Input}"
            + (ServedQuality is null ? ")" : $", served {ServedQuality.Served.Input})");
    }

    public async Task RunAsync(TrainingRequest request, string workDir, TrainingJobProgress progress, CancellationToken ct)
    {
        var catalog = await ExportAsync(workDir, progress, ct);
        var candidate = Train(request, catalog, workDir, progress, ct);
        var comparison = await CompareAsync(candidate, catalog, progress, ct);
        var version = await RegisterAsync(candidate, progress, ct);
        var registry = grains.GetGrain<IModelRegistryGrain>(0);
        var rule = PromotionRule.Decide(request.Policy, request.Tolerance, comparison.CandidateScore, comparison.ServedScore);
        var decision = rule with { Reason = $"{rule.Reason} ({comparison.Basis})" };
        var quality = new VersionQuality(grains, hostOptions, evaluation);
        await quality.RecordAsync(version.VersionId, comparison.Candidate);
        if (comparison is { Served: { } served, ServedQuality: { } servedQuality })
        {
            await quality.RecordAsync(served.VersionId, servedQuality);
        }
        await registry.RecordVerdict(version.VersionId,
            new VersionVerdict(decision.Outcome, decision.Reason, comparison.CandidateScore, comparison.ServedScore, comparison.Served?.VersionId, DateTimeOffset.UtcNow));
        if (!decision.Promote)
        {
            progress.Update(s => s with { State = decision.Outcome, Message = decision.Reason });
            return;
        }
        await DeployAsync(version, decision, progress);
        if (request.ReEnrich)
        {
            progress.Phase(TrainingJobPhase.ReEnriching);
            // The catalogue follows in bounded pages, in the background (the same job a deployment with re-enrichment starts).
            var job = await grains.GetGrain<IReEnrichmentGrain>(0).Start(new ReEnrichmentRequest(version.VersionId, request.By ?? "training"));
            progress.Update(s => s with { Message = $"{s.Message}; re-enriching the {job.Total} products of other versions in the background" });
        }
        progress.Update(s => s with { State = TrainingState.Promoted });
    }

    /// <summary>The request with every value it left to the job filled in for this catalogue.</summary>
    public static TrainingRequest Resolve(TrainingRequest request, IReadOnlyList<CatalogRow> rows)
    {
        var split = new SplitOptions(request.Seed);
        var batchSize = request.BatchSize ?? TrainingPlan.BatchSizeFor(rows.Count, split);
        return request with
        {
            BatchSize = batchSize,
            Epochs = request.Epochs ?? TrainingPlan.EpochsFor(rows.Count, batchSize, split),
            MinClassCount = request.MinClassCount ?? TrainingPlan.MinClassCountFor(rows, split),
        };
    }

    /// <summary>How a resolved request reads as a training plan (the CLI fills the same plan from its options).</summary>
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
            Epochs = request.Epochs ?? throw new ArgumentException("resolve the request first", nameof(request)),
            BatchSize = request.BatchSize ?? throw new ArgumentException("resolve the request first", nameof(request)),
            LearningRate = request.LearningRate,
            Seed = request.Seed,
            TimeBudget = request.TimeBudget,
            // A catalogue retraining runs a few epochs of a few hundred iterations: the library's 100-iteration
            // warm-up would take most of the first epoch.
            WarmupIterations = 10,
        },
        Split = new SplitOptions(request.Seed),
        MinClassCount = request.MinClassCount ?? throw new ArgumentException("resolve the request first", nameof(request)),
        Device = device,
    };

    private async Task<ExportedCatalog> ExportAsync(string workDir, TrainingJobProgress progress, CancellationToken ct)
    {
        progress.Phase(TrainingJobPhase.Exporting);
        var imagesDir = Path.Combine(workDir, "images");
        var export = await new CatalogExporter(readModel, grains, evaluation.ToModel()).ExportAsync(imagesDir, ct);
        if (export.Rows.Count < MinimumRows)
        {
            throw new InvalidOperationException($"only {export.Rows.Count} products have a photo and a known type and colour; at least {MinimumRows} are needed");
        }
        progress.Update(s => s with
        {
            TrainingRows = export.Rows.Count, ReviewedRows = export.ReviewedRows, EvaluationRows = export.EvaluationRows.Count, Phase = TrainingJobPhase.Loading,
        });
        return new ExportedCatalog(export.Rows, export.EvaluationRows, export.ProductIds, imagesDir);
    }

    private Candidate Train(TrainingRequest request, ExportedCatalog catalog, string workDir, TrainingJobProgress progress, CancellationToken ct)
    {
        // Values the request left open are fitted to this catalogue, and the status shows what the job runs with.
        var resolved = Resolve(request, catalog.Rows);
        progress.Update(s => s with { Request = resolved });
        var plan = PlanFor(resolved, hostOptions.Device);
        var data = TrainingPipeline.Prepare(catalog.Rows, catalog.ImagesDir, plan, cancellationToken: ct);
        var result = TrainingPipeline.Train(data, plan, Path.Combine(workDir, "run"), progress: new SynchronousProgress(progress.Report), cancellationToken: ct);
        return new Candidate(data, result, result.BestCheckpoint ?? throw new InvalidOperationException("training produced no checkpoint"));
    }

    /// <summary>
    /// The candidate and the served model, each in its own label space, on the same rows: the evaluation set, which no
    /// model trained on; the candidate's validation rows only when the catalogue has too few evaluation rows.
    /// </summary>
    private async Task<Comparison> CompareAsync(Candidate candidate, ExportedCatalog catalog, TrainingJobProgress progress, CancellationToken ct)
    {
        progress.Phase(TrainingJobPhase.ScoringServed);
        var onEvaluationSet = catalog.EvaluationRows.Count >= evaluation.MinRows;
        var rows = onEvaluationSet ? catalog.EvaluationRows : candidate.Data.Split.Valid;
        var quality = new VersionQuality(grains, hostOptions, evaluation);
        var candidateQuality = quality.Score(candidate.Checkpoint, catalog.ImagesDir, rows, onEvaluationSet, ct);
        var served = await grains.GetGrain<IModelRegistryGrain>(0).GetCurrent();
        var servedQuality = served is null ? null
            : quality.Score(await new ModelWeightsStore(grains).DownloadAsync(served, hostOptions.CacheDirectory, ct), catalog.ImagesDir, rows, onEvaluationSet, ct);
        progress.Update(s => s with { CandidateScore = candidateQuality.Score, ServedVersionBefore = served?.VersionId, ServedScore = servedQuality?.Score });
        return new Comparison(served, candidateQuality, servedQuality, rows.Count, onEvaluationSet);
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
            ForcedPromotion = decision.Forced,
        });
    }

    /// <summary>Reports on the trainer's thread; Progress&lt;T&gt; would post to a synchronisation context.</summary>
    private sealed class SynchronousProgress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}
