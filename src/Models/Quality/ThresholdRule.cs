using Enrichment.Evaluation;

namespace Enrichment.Models;

/// <summary>One prediction on a held-out row: how sure the model was, and whether it was right.</summary>
public readonly record struct ScoredPrediction(float Confidence, bool Correct);

/// <summary>
/// The threshold chosen for one attribute (null: no threshold meets the target, nothing is auto-applied), with what
/// was measured above it: the share of rows covered, the precision and its lower bound.
/// </summary>
public sealed record ThresholdChoice(double? Threshold, double Coverage, int RowsAbove, double Precision, double PrecisionLowerBound,
                                     double TargetPrecision, int MinRows, int Rows);

/// <summary>A point of the coverage-versus-precision curve: keeping predictions at or above Threshold.</summary>
public sealed record CoveragePoint(double Threshold, double Coverage, double Precision, double PrecisionLowerBound);

/// <summary>Selective prediction on held-out rows: which confidence threshold a value must reach to be applied unseen.</summary>
public static class ThresholdRule
{
    /// <summary>
    /// The lowest confidence threshold at which the predictions at or above it reach the target by the Wilson lower
    /// bound with at least MinRows rows. Candidates are the observed confidences, so the threshold is one the
    /// evaluation rows actually tested.
    /// </summary>
    public static ThresholdChoice Choose(IReadOnlyList<ScoredPrediction> predictions, AutoApplyTarget target)
    {
        double z = NormalQuantile(1 - (1 - target.ConfidenceLevel) / 2);
        var sorted = predictions.OrderByDescending(p => p.Confidence).ToArray();
        ThresholdChoice best = new(null, 0, 0, 0, 0, target.Precision, target.MinRows, sorted.Length);
        int correct = 0;
        for (int i = 0; i < sorted.Length; i++)
        {
            if (sorted[i].Correct) correct++;
            // A threshold keeps every row with the same confidence: only cut after the last of a tie.
            if (i + 1 < sorted.Length && sorted[i + 1].Confidence == sorted[i].Confidence) continue;
            int n = i + 1;
            double lower = WilsonLowerBound(correct, n, z);
            if (n >= target.MinRows && lower >= target.Precision)
                best = new ThresholdChoice(sorted[i].Confidence, (double)n / sorted.Length, n, (double)correct / n, lower,
                                           target.Precision, target.MinRows, sorted.Length);
        }
        return best;
    }

    /// <summary>The coverage-versus-precision curve at about <paramref name="points"/> evenly spread coverages.</summary>
    public static IReadOnlyList<CoveragePoint> Curve(IReadOnlyList<ScoredPrediction> predictions, double confidenceLevel = 0.95, int points = 50)
    {
        double z = NormalQuantile(1 - (1 - confidenceLevel) / 2);
        var sorted = predictions.OrderByDescending(p => p.Confidence).ToArray();
        var curve = new List<CoveragePoint>();
        int correct = 0, step = Math.Max(1, sorted.Length / points);
        for (int i = 0; i < sorted.Length; i++)
        {
            if (sorted[i].Correct) correct++;
            int n = i + 1;
            if (n % step == 0 || n == sorted.Length)
                curve.Add(new CoveragePoint(sorted[i].Confidence, (double)n / sorted.Length, (double)correct / n, WilsonLowerBound(correct, n, z)));
        }
        return curve;
    }

    /// <summary>Wilson score interval's lower bound for <paramref name="successes"/> of <paramref name="n"/>.</summary>
    public static double WilsonLowerBound(int successes, int n, double z = 1.959964)
    {
        if (n == 0) return 0;
        double p = (double)successes / n, z2 = z * z;
        double centre = p + z2 / (2 * n);
        double margin = z * Math.Sqrt(p * (1 - p) / n + z2 / (4.0 * n * n));
        return Math.Max(0, (centre - margin) / (1 + z2 / n));
    }

    /// <summary>Inverse of the standard normal CDF (Acklam's rational approximation, |error| &lt; 1.2e-9).</summary>
    public static double NormalQuantile(double p)
    {
        if (p <= 0 || p >= 1) throw new ArgumentOutOfRangeException(nameof(p), p, "Must lie strictly between 0 and 1.");
        double[] a = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00];
        double[] b = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01, -1.328068155288572e+01];
        double[] c = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00];
        double[] d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00];
        const double low = 0.02425;
        if (p < low)
        {
            double q = Math.Sqrt(-2 * Math.Log(p));
            return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
        }
        if (p > 1 - low) return -NormalQuantile(1 - p);
        double r = p - 0.5, s = r * r;
        return (((((a[0] * s + a[1]) * s + a[2]) * s + a[3]) * s + a[4]) * s + a[5]) * r / (((((b[0] * s + b[1]) * s + b[2]) * s + b[3]) * s + b[4]) * s + 1);
    }
}
