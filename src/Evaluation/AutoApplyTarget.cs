namespace Enrichment.Evaluation;

/// <summary>
/// What an auto-applied value must earn on the evaluation set: predictions at or above the threshold are right at
/// least <see cref="Precision"/> of the time, judged by the lower bound of a <see cref="ConfidenceLevel"/> interval
/// (never the point estimate alone), over at least <see cref="MinRows"/> rows.
/// </summary>
public sealed record AutoApplyTarget(double Precision = 0.97, int MinRows = 50, double ConfidenceLevel = 0.95)
{
    public static readonly AutoApplyTarget Default = new();
}
