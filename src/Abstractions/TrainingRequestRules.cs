namespace Enrichment.Abstractions;

/// <summary>
/// What a training request may ask for, checked by the HTTP API (400 with every problem) and again by the training
/// grain. Every number must be finite: a NaN learning rate once failed the job and then the status, which JSON cannot
/// carry, broke GET /api/training for good.
/// </summary>
public static class TrainingRequestRules
{
    public static readonly TimeSpan MaxTimeBudget = TimeSpan.FromDays(7);

    public static IReadOnlyList<string> Validate(TrainingRequest request)
    {
        var errors = new List<string>();
        if (request.Epochs is { } epochs)
        {
            Range(errors, "epochs", epochs, 1, 1000);
        }
        if (request.BatchSize is { } batchSize)
        {
            Range(errors, "batchSize", batchSize, 2, 4096);
        }
        Range(errors, "baseWidth", request.BaseWidth, 4, 256);
        if (request.MinClassCount is { } minClassCount)
        {
            Range(errors, "minClassCount", minClassCount, 1, 100_000);
        }
        if (!double.IsFinite(request.LearningRate) || request.LearningRate is <= 0 or > 10)
        {
            errors.Add($"learningRate must be a finite number in (0, 10] (got {request.LearningRate})");
        }
        if (!double.IsFinite(request.Tolerance) || request.Tolerance is < 0 or > 1)
        {
            errors.Add($"tolerance must be a finite number in [0, 1] (got {request.Tolerance})");
        }
        if (!Enum.IsDefined(request.Architecture))
        {
            errors.Add($"architecture must be one of: {string.Join(", ", Enum.GetValues<ModelArchitecture>().Select(ModelArchitectureJsonConverter.Name))}");
        }
        if (!Enum.IsDefined(request.Policy))
        {
            errors.Add($"policy must be one of: {string.Join(", ", Enum.GetNames<PromotionPolicy>())}");
        }
        if (request.TimeBudget is { } budget && (budget <= TimeSpan.Zero || budget > MaxTimeBudget))
        {
            errors.Add($"timeBudget must be positive and at most {MaxTimeBudget.TotalDays:0} days");
        }
        return errors;
    }

    private static void Range(List<string> errors, string field, int value, int min, int max)
    {
        if (value < min || value > max)
        {
            errors.Add($"{field} must be between {min} and {max} (got {value})");
        }
    }
}
