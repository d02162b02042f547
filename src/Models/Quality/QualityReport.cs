using Enrichment.Evaluation;
namespace Enrichment.Models;

/// <summary>
/// A model version's quality on held-out rows, for every input mode it takes: per attribute top-1/top-5, per-class
/// precision/recall/F1, the confusion matrix, the reliability diagram with ECE, and the coverage-versus-precision
/// curve with the auto-apply threshold chosen on it. The CLI prints and writes it; the cluster stores it per version.
/// Its size depends on the label space only (classes², bins, curve points), never on the rows scored.
/// </summary>
public sealed record QualityReport
{
    public string? ModelVersion { get; init; }
    public int Rows { get; init; }
    /// <summary>What the rows were ("evaluation set", "test split"), for the reader.</summary>
    public string? RowsDescription { get; init; }
    public DateTimeOffset CreatedUtc { get; init; } = DateTimeOffset.UtcNow;
    public required AutoApplyTarget Target { get; init; }
    public required IReadOnlyList<ModeQuality> Modes { get; init; }

    /// <summary>The quality of the mode a prediction with these inputs uses (the full input when the model reads names).</summary>
    public ModeQuality? Mode(InputMode mode) => Modes.FirstOrDefault(m => m.Input == ModelInputs.Describe(mode));
}

public sealed record ModeQuality(string Input, IReadOnlyList<AttributeQuality> Attributes)
{
    /// <summary>Model-selection score of this mode: mean of type and colour top-1 (as <see cref="EvaluationResult.Score"/>).</summary>
    public double Score => Attributes.Where(a => a.Attribute is "type" or "colour").Select(a => a.Top1).DefaultIfEmpty(0).Average();
}

public sealed record AttributeQuality(
    string Attribute, int Rows, double Top1, double Top5, double Ece,
    IReadOnlyList<ClassReport> Classes, IReadOnlyList<string> Labels, long[][] Confusion,
    IReadOnlyList<ReliabilityBin> Reliability, IReadOnlyList<CoveragePoint> Coverage, ThresholdChoice AutoApply);

public static class QualityReports
{
    /// <summary>The quality of one head from its metrics (which recorded every scored prediction).</summary>
    public static AttributeQuality Of(string attribute, ClassificationMetrics metrics, AutoApplyTarget target)
    {
        var scored = metrics.Scored;
        var bins = Calibration.Reliability(scored);
        int n = metrics.Labels.Count;
        var confusion = Enumerable.Range(0, n).Select(a => Enumerable.Range(0, n).Select(p => metrics[a, p]).ToArray()).ToArray();
        return new AttributeQuality(attribute, (int)metrics.Total, metrics.Top1, metrics.Top5, Calibration.ExpectedCalibrationError(bins),
            metrics.PerClass(), metrics.Labels.ToArray(), confusion, bins, ThresholdRule.Curve(scored, target.ConfidenceLevel),
            ThresholdRule.Choose(scored, target));
    }

    public static ModeQuality Of(InputMode mode, EvaluationResult result, AutoApplyTarget target, IReadOnlyDictionary<string, AutoApplyTarget>? perAttribute = null)
    {
        AutoApplyTarget For(string attribute) => perAttribute is not null && perAttribute.TryGetValue(attribute, out var t) ? t : target;
        return new ModeQuality(ModelInputs.Describe(mode),
        [
            Of("type", result.Type, For("type")), Of("colour", result.Colour, For("colour")), Of("brand", result.Brand, For("brand")),
        ]);
    }
}
