using Enrichment.Grains.Catalog;
using Enrichment.Abstractions;
using Enrichment.Grains.Serving;
using Enrichment.Evaluation;
using Enrichment.Models;
using Enrichment.Persistence.Catalog;
using Microsoft.Extensions.Logging;

namespace Enrichment.Grains.Training;

/// <summary>
/// Scores one model version on the cluster's evaluation set and records the score with the version, so a version no
/// training job compared yet (the bootstrap model, say) still shows a score comparable with every other's.
/// </summary>
public sealed class VersionEvaluator(IGrainFactory grains, ICatalogReadModel readModel, ModelHostOptions hostOptions, EvaluationSetOptions evaluation,
    ILogger logger)
{
    /// <returns>The recorded evaluation, or null when the catalogue holds too few evaluation rows yet.</returns>
    public async Task<VersionEvaluation?> EvaluateAsync(string versionId, string workDir, CancellationToken ct)
    {
        var registry = grains.GetGrain<IModelRegistryGrain>(0);
        var version = (await registry.List()).FirstOrDefault(v => v.VersionId == versionId)
            ?? throw new ArgumentException($"model version '{versionId}' is not registered");
        var imagesDir = Path.Combine(workDir, "images");
        var export = await new CatalogExporter(readModel, grains, evaluation.ToModel()).ExportAsync(imagesDir, ct, evaluationOnly: true);
        if (export.EvaluationRows.Count < evaluation.MinRows)
        {
            logger.LogInformation("Not scoring {ModelVersion}: the evaluation set has {Rows} rows, fewer than {MinRows}",
                versionId, export.EvaluationRows.Count, evaluation.MinRows);
            return null;
        }
        var checkpoint = await new ModelWeightsStore(grains).DownloadAsync(version, hostOptions.CacheDirectory, ct);
        var quality = new VersionQuality(grains, hostOptions, evaluation);
        var scored = quality.Score(checkpoint, imagesDir, export.EvaluationRows, onEvaluationSet: true, ct);
        await quality.RecordAsync(versionId, scored);
        var result = new VersionEvaluation(scored.Score, scored.Report.Rows, DateTimeOffset.UtcNow) { ScoreDescription = scored.ScoreDescription };
        logger.LogInformation("Scored {ModelVersion} on {Rows} evaluation-set rows: {Score:P2}", versionId, result.Rows, scored.Score);
        return result;
    }
}
