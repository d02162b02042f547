namespace Enrichment.Models;

/// <summary>
/// Base LR divided by <c>divisor</c> whenever an epoch fails to improve the validation score (the
/// library's rule), times a linear warm-up factor and, optionally, a cosine factor over the run.
/// </summary>
public sealed class LearningRateSchedule
{
    private readonly TrainerOptions _o;
    private readonly long _totalIterations;

    public double PlateauLearningRate { get; private set; }
    public int Reductions { get; private set; }

    public LearningRateSchedule(TrainerOptions options, long totalIterations)
    {
        _o = options;
        _totalIterations = Math.Max(1, totalIterations);
        PlateauLearningRate = options.LearningRate;
    }

    /// <param name="timeFraction">Elapsed / time budget (0 without a budget). The cosine follows whichever of
    /// iterations or wall time is further along, so a time-boxed run still ends annealed.</param>
    public double At(long iteration, double timeFraction = 0)
    {
        double lr = PlateauLearningRate;
        if (_o.WarmupIterations > 0 && iteration < _o.WarmupIterations) lr *= (iteration + 1.0) / _o.WarmupIterations;
        if (_o.Cosine) lr *= 0.5 * (1 + Math.Cos(Math.PI * Math.Min(1.0, Math.Max(timeFraction, (double)iteration / _totalIterations))));
        return lr;
    }

    /// <returns>True when the LR was reduced.</returns>
    public bool OnEpochEnd(bool improved)
    {
        if (improved) return false;
        PlateauLearningRate /= _o.PlateauDivisor;
        Reductions++;
        return true;
    }
}
