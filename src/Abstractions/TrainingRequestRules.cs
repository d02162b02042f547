namespace Enrichment.Abstractions;

/// <summary>
/// What a training request may ask for, checked by the HTTP API (400 with every problem) and again by the training
/// grain. Every number must be finite: a NaN learning rate once failed the job and then the status, which JSON cannot
/// carry, broke GET /api/training for good.
/// </summary>
public static class TrainingRequestRules
{
    public static readonly TimeSpan MaxTimeBudget = TimeSpan.FromDays(7);

    /// <summary>The network's own minimum (the ResNet refuses a narrower one, so 4-7 used to pass here and fail the job).</summary>
    public const int MinBaseWidth = 8;
    public const int MaxBaseWidth = 256;

    /// <summary>Who starts a job is named by the one rule for who acts (<see cref="TextRules.IsActorName"/>), as reviewers and deployers are.</summary>
    public const int MaxByLength = TextRules.MaxActorLength;

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
        Range(errors, "baseWidth", request.BaseWidth, MinBaseWidth, MaxBaseWidth);
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
        if (request.By is { } by && !TextRules.IsActorName(by))
        {
            errors.Add($"by must name who starts the job in at most {MaxByLength} characters, without control, zero-width or bidi characters");
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

/// <summary>
/// What a training job will hold in memory, estimated from its request before it starts, so a silo can refuse a job it
/// cannot hold instead of being taken from 0.8 to 7 GB by one. The model library's ResNets are counted layer by layer
/// (the same shapes as <c>ResNet.MultiplyAddsPerImage</c>) at the job's input size: parameters four times over (weights,
/// gradients, SGD momentum, the best epoch's copy), and per image in the batch every activation the backward pass
/// keeps, twice (kept activations and their gradients at the peak), plus a fixed allowance for the runtime, libtorch
/// and the decoded dataset. An estimate, on the high side; the silo's limit is <c>Enrichment:Training:MaxMemory</c>.
/// </summary>
public static class TrainingMemory
{
    /// <summary>The job's input size (the model library's default preprocessing: 80 x 60).</summary>
    public const int InputHeight = 80;
    public const int InputWidth = 60;

    /// <summary>The largest batch a request that leaves the batch size open is fitted to.</summary>
    public const int LargestFittedBatch = 64;

    /// <summary>Runtime, libtorch, the heads and the annotator, the decoded dataset.</summary>
    public const long FixedBytes = 768L << 20;

    public static long EstimateBytes(TrainingRequest request)
    {
        var (parameters, activationsPerImage) = Count(request.Architecture, request.BaseWidth, InputHeight, InputWidth);
        var batch = request.BatchSize ?? LargestFittedBatch;
        return FixedBytes + parameters * 4 * sizeof(float) + (long)batch * activationsPerImage * 2 * sizeof(float);
    }

    /// <summary>Parameters and kept activations (floats per image) of the backbone.</summary>
    public static (long Parameters, long ActivationsPerImage) Count(ModelArchitecture architecture, int baseWidth, int height, int width)
    {
        var bottleneck = architecture == ModelArchitecture.ResNet50;
        int[] blocks = bottleneck ? [3, 4, 6, 3] : [2, 2, 2, 2];
        var expansion = bottleneck ? 4 : 1;
        long w = baseWidth;
        int h = Out(height, 2), x = Out(width, 2);
        long parameters = 3 * 49 * w + 2 * w;
        long activations = 3 * w * h * x; // stem conv, batch norm, ReLU
        h = Out(h, 2);
        x = Out(x, 2);
        activations += w * h * x; // max pool
        long inPlanes = w;
        for (var layer = 0; layer < 4; layer++)
        {
            var planes = w << layer;
            var outPlanes = planes * expansion;
            for (var b = 0; b < blocks[layer]; b++)
            {
                var stride = b == 0 && layer > 0 ? 2 : 1;
                int ho = Out(h, stride), wo = Out(x, stride);
                long sIn = (long)h * x, sOut = (long)ho * wo;
                if (bottleneck)
                {
                    parameters += inPlanes * planes + planes * planes * 9 + planes * outPlanes + 2 * (2 * planes + outPlanes);
                    activations += 3 * planes * sIn + 3 * planes * sOut + 3 * outPlanes * sOut;
                }
                else
                {
                    parameters += inPlanes * planes * 9 + planes * planes * 9 + 4 * planes;
                    activations += 6 * planes * sOut;
                }
                if (stride != 1 || inPlanes != outPlanes)
                {
                    parameters += inPlanes * outPlanes + 2 * outPlanes;
                    activations += 2 * outPlanes * sOut;
                }
                inPlanes = outPlanes;
                h = ho;
                x = wo;
            }
        }
        return (parameters, activations);
    }

    public static string Format(long bytes) => $"{bytes / (double)(1L << 30):0.0} GiB";

    private static int Out(int size, int stride) => (size + stride - 1) / stride;
}
