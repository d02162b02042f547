using System.ComponentModel.DataAnnotations;
using Enrichment.Evaluation;

namespace Enrichment.Grains.Catalog;

/// <summary>
/// Bound from "Enrichment:Evaluation": the cluster's evaluation set (see <see cref="EvaluationSet"/>). Keep the
/// defaults unless every checkpoint you publish was trained with the same settings (<c>--exclude-evaluation</c>):
/// the bundled model was, so its scores on this set are honest.
/// </summary>
public sealed class EvaluationSetOptions
{
    public const string Section = "Enrichment:Evaluation";

    public int Seed { get; set; } = EvaluationSet.DefaultSeed;

    [Range(0.0, 0.5)]
    public double Fraction { get; set; } = EvaluationSet.DefaultFraction;

    /// <summary>At most this many evaluation rows are scored per job (the first by product id), bounding its cost.</summary>
    [Range(10, 100_000)]
    public int MaxRows { get; set; } = 2_000;

    /// <summary>Fewer evaluation rows than this and a job compares on its own validation rows instead, and says so.</summary>
    [Range(1, 10_000)]
    public int MinRows { get; set; } = 10;

    /// <summary>Auto-apply: the precision (lower bound of its 95 % interval) a value must have earned on this set.</summary>
    [Range(0.5, 0.9999)]
    public double AutoApplyPrecision { get; set; } = AutoApplyTarget.Default.Precision;

    /// <summary>Per-attribute targets ("colour": 0.95) overriding <see cref="AutoApplyPrecision"/>.</summary>
    public Dictionary<string, double> AutoApplyPrecisionByAttribute { get; set; } = new();

    /// <summary>Auto-apply: rows a threshold must keep above it; fewer and nothing is auto-applied.</summary>
    [Range(1, 100_000)]
    public int AutoApplyMinRows { get; set; } = AutoApplyTarget.Default.MinRows;

    public EvaluationOptions ToModel() => new(Seed, Fraction, MaxRows);

    public AutoApplyTarget AutoApplyTarget => new(AutoApplyPrecision, AutoApplyMinRows);

    public IReadOnlyDictionary<string, AutoApplyTarget> AutoApplyTargets =>
        AutoApplyPrecisionByAttribute.ToDictionary(p => p.Key, p => AutoApplyTarget with { Precision = p.Value });
}
