using Enrichment.Grains.Catalog;
using System.Text.Json;
using Enrichment.Abstractions;
using Enrichment.Grains.Serving;
using Enrichment.Evaluation;
using Enrichment.Models;

namespace Enrichment.Grains.Training;

/// <summary>A version's quality on some rows: the report, the score a promotion compares, and what that score is.</summary>
public sealed record ScoredVersion(QualityReport Report, double Score, string ScoreDescription, bool OnEvaluationSet)
{
    /// <summary>The mode the model serves with (photo + name when it reads names): the one its score describes.</summary>
    public ModeQuality Served => Report.Modes[^1];
}

/// <summary>
/// Scores a checkpoint into a quality report and records it with its version: the report for the API and console, the
/// auto-apply thresholds for serving (only from the evaluation set: validation rows chose the epoch and the
/// temperatures, so they are not held out). One path for training jobs and on-demand scoring.
/// </summary>
public sealed class VersionQuality(IGrainFactory grains, ModelHostOptions hostOptions, EvaluationSetOptions evaluation)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public ScoredVersion Score(string checkpointDir, string imagesDir, IReadOnlyList<CatalogRow> rows, bool onEvaluationSet, CancellationToken ct)
    {
        var rowsDescription = onEvaluationSet ? "the cluster's evaluation set" : "the candidate's validation rows";
        var (_, report, _) = TrainingPipeline.Report(checkpointDir, hostOptions.Device, imagesDir, _ => rows, evaluation.AutoApplyTarget,
            evaluation.AutoApplyTargets, rowsDescription: rowsDescription, cancellationToken: ct);
        var served = report.Modes[^1];
        var description = $"mean of type and colour top-1, {served.Input}, on {report.Rows:N0} rows of {rowsDescription}";
        return new ScoredVersion(report, served.Score, description, onEvaluationSet);
    }

    public async Task RecordAsync(string versionId, ScoredVersion scored)
    {
        var report = scored.Report with { ModelVersion = versionId };
        await grains.GetGrain<IModelQualityGrain>(versionId).Put(JsonSerializer.Serialize(report, Json));
        var registry = grains.GetGrain<IModelRegistryGrain>(0);
        if (scored.OnEvaluationSet)
        {
            await registry.RecordEvaluation(versionId, new VersionEvaluation(scored.Score, scored.Report.Rows, DateTimeOffset.UtcNow)
            {
                ScoreDescription = scored.ScoreDescription,
            });
            await registry.OfferAutoApply(versionId, AutoApplySelection.From(report, $"{report.RowsDescription} ({report.Rows:N0} rows)"));
        }
    }
}
