using System.ComponentModel.DataAnnotations;
using Enrichment.Models;

namespace Enrichment.Grains.Training;

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

    public EvaluationOptions ToModel() => new(Seed, Fraction, MaxRows);
}
