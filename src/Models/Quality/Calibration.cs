namespace Enrichment.Models;

/// <summary>A bin of the reliability diagram: predictions whose confidence fell in [Lower, Upper).</summary>
public sealed record ReliabilityBin(double Lower, double Upper, int Count, double MeanConfidence, double Accuracy);

/// <summary>Reliability diagram and expected calibration error over equal-width confidence bins.</summary>
public static class Calibration
{
    public const int DefaultBins = 15;

    public static IReadOnlyList<ReliabilityBin> Reliability(IReadOnlyList<ScoredPrediction> predictions, int bins = DefaultBins)
    {
        var count = new int[bins];
        var confidence = new double[bins];
        var correct = new int[bins];
        foreach (var p in predictions)
        {
            int b = Math.Clamp((int)(p.Confidence * bins), 0, bins - 1);
            count[b]++; confidence[b] += p.Confidence; if (p.Correct) correct[b]++;
        }
        return Enumerable.Range(0, bins).Select(b => new ReliabilityBin((double)b / bins, (double)(b + 1) / bins, count[b],
            count[b] == 0 ? 0 : confidence[b] / count[b], count[b] == 0 ? 0 : (double)correct[b] / count[b])).ToArray();
    }

    /// <summary>Expected calibration error: the bins' |accuracy - confidence|, weighted by their share of rows.</summary>
    public static double ExpectedCalibrationError(IReadOnlyList<ReliabilityBin> bins)
    {
        long total = bins.Sum(b => (long)b.Count);
        return total == 0 ? 0 : bins.Sum(b => b.Count * Math.Abs(b.Accuracy - b.MeanConfidence)) / total;
    }
}
