using System.Text.Json;
using System.Text.Json.Serialization;

namespace Enrichment.Abstractions;

/// <summary>
/// Coordinates retraining on the labelled catalogue (singleton, key 0). Calls return at once: the job runs in the
/// background on a model silo and its progress is read with <see cref="GetStatus"/>.
/// </summary>
[Alias("Enrichment.ITrainingGrain")]
public interface ITrainingGrain : IGrainWithIntegerKey
{
    /// <summary>Starts a job; refused (InvalidOperationException) while another one runs.</summary>
    [Alias("Start")] Task<TrainingJobStatus> Start(TrainingRequest request);

    /// <summary>The running or most recent job; null before the first.</summary>
    [Alias("GetStatus")] Task<TrainingJobStatus?> GetStatus();

    [Alias("History")] Task<TrainingJobStatus[]> History();

    [Alias("Cancel")] Task<TrainingJobStatus?> Cancel();

    /// <summary>
    /// Scores a registered version on the evaluation set in the background (a model silo's work); false when a scoring
    /// is already under way. The score appears on the version (<see cref="ModelVersionInfo.Evaluation"/>).
    /// </summary>
    [Alias("Evaluate")] Task<bool> Evaluate(string versionId);
}

public enum PromotionPolicy
{
    /// <summary>Promote when the candidate's validation score is at least the served model's minus the tolerance.</summary>
    NotWorse,
    Always,
    /// <summary>Register the version but leave serving alone (promote later by deployment).</summary>
    Never,
}

[GenerateSerializer, Immutable, Alias("Enrichment.TrainingRequest")]
public sealed record TrainingRequest
{
    /// <summary>Null fits the number of epochs to the catalogue (enough iterations to learn from a small one).</summary>
    [Id(0)] public int? Epochs { get; init; } = 3;
    /// <summary>Null fits the batch size to the catalogue (smaller batches for a small one).</summary>
    [Id(1)] public int? BatchSize { get; init; } = 64;
    [Id(2)] public double LearningRate { get; init; } = 0.05;
    /// <summary>"resnet18" (CPU-friendly) or "resnet50" (the library's network) on the wire.</summary>
    [Id(3), JsonConverter(typeof(ModelArchitectureJsonConverter))] public ModelArchitecture Architecture { get; init; } = ModelArchitecture.ResNet18;
    [Id(4)] public int BaseWidth { get; init; } = 32;
    /// <summary>Classes with fewer training rows than this map to "other"; null fits it to the catalogue's class sizes.</summary>
    [Id(5)] public int? MinClassCount { get; init; }
    [Id(6)] public PromotionPolicy Policy { get; init; } = PromotionPolicy.NotWorse;
    [Id(7)] public double Tolerance { get; init; }
    /// <summary>Re-enrich every product with the new version after promotion (throttled).</summary>
    [Id(8)] public bool ReEnrich { get; init; }
    [Id(9)] public int Seed { get; init; } = 42;
    [Id(10)] public TimeSpan? TimeBudget { get; init; }
    /// <summary>Who started the job (the console sends its operator name; the API says "api" when none is given).</summary>
    [Id(11)] public string? By { get; init; }
}

/// <summary>The networks a training request may ask for.</summary>
public enum ModelArchitecture
{
    /// <summary>CPU-friendly (at half width, the demo's model).</summary>
    ResNet18,
    /// <summary>The Fashion-Brain library's backbone.</summary>
    ResNet50,
}

/// <summary>Where a training job is, start to finish; each phase means one thing.</summary>
public enum TrainingJobPhase
{
    Queued,
    /// <summary>Streaming the labelled catalogue and its photos out of the cluster.</summary>
    Exporting,
    /// <summary>Decoding photos into labelled sets.</summary>
    Loading,
    /// <summary>An epoch's training iterations.</summary>
    Training,
    /// <summary>Scoring the epoch's network on the validation rows (picks the best epoch).</summary>
    ValidatingEpoch,
    /// <summary>Scoring the served model on the same rows as the candidate, for the promotion policy.</summary>
    ScoringServed,
    /// <summary>Uploading the candidate's weights and registering the version.</summary>
    Registering,
    Deploying,
    ReEnriching,
    Finished,
}

/// <summary>Reads and writes <see cref="ModelArchitecture"/> as "resnet18" / "resnet50", and names the value it refuses.</summary>
public sealed class ModelArchitectureJsonConverter : JsonConverter<ModelArchitecture>
{
    public static string Name(ModelArchitecture architecture) => architecture.ToString().ToLowerInvariant();

    public static bool TryParse(string? text, out ModelArchitecture architecture)
    {
        foreach (var candidate in Enum.GetValues<ModelArchitecture>())
        {
            if (string.Equals(Name(candidate), text, StringComparison.OrdinalIgnoreCase))
            {
                architecture = candidate;
                return true;
            }
        }
        architecture = default;
        return false;
    }

    public override ModelArchitecture Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
        return TryParse(text, out var architecture)
            ? architecture
            : throw new JsonException($"architecture '{ProductEventValidator.Excerpt(text ?? reader.TokenType.ToString())}' is not known; use one of: " +
                                      string.Join(", ", Enum.GetValues<ModelArchitecture>().Select(Name)));
    }

    public override void Write(Utf8JsonWriter writer, ModelArchitecture value, JsonSerializerOptions options) => writer.WriteStringValue(Name(value));
}

public enum TrainingState { Running, Promoted, Rejected, Registered, Failed, Cancelled }

[GenerateSerializer, Immutable, Alias("Enrichment.TrainingEpochPoint")]
public sealed record TrainingEpochPoint(
    [property: Id(0)] int Epoch,
    [property: Id(1)] double TrainLoss,
    [property: Id(2)] double TrainTypeAccuracy,
    [property: Id(3)] double TrainColourAccuracy,
    [property: Id(4)] double? ValidationScore);

[GenerateSerializer, Immutable, Alias("Enrichment.TrainingJobStatus")]
public sealed record TrainingJobStatus
{
    [Id(0)] public required string JobId { get; init; }
    [Id(1)] public required TrainingState State { get; init; }
    /// <summary>The request as the job runs it: values left to the job (null) are filled in once it has seen the catalogue.</summary>
    [Id(2)] public required TrainingRequest Request { get; init; }
    [Id(3)] public string? Silo { get; init; }
    [Id(4)] public TrainingJobPhase Phase { get; init; } = TrainingJobPhase.Queued;
    [Id(5)] public int Epoch { get; init; }
    [Id(6)] public int Iteration { get; init; }
    [Id(7)] public int IterationsPerEpoch { get; init; }
    [Id(8)] public double Loss { get; init; }
    [Id(9)] public double TypeAccuracy { get; init; }
    [Id(10)] public double ColourAccuracy { get; init; }
    [Id(11)] public TimeSpan? Eta { get; init; }
    [Id(12)] public DateTimeOffset StartedAt { get; init; }
    [Id(13)] public DateTimeOffset? FinishedAt { get; init; }
    [Id(14)] public string? CandidateVersion { get; init; }
    [Id(15)] public double? CandidateScore { get; init; }
    [Id(16)] public string? ServedVersionBefore { get; init; }
    [Id(17)] public double? ServedScore { get; init; }
    [Id(18)] public string? Message { get; init; }
    [Id(19)] public List<TrainingEpochPoint> Curve { get; init; } = new();
    [Id(20)] public int TrainingRows { get; init; }
    /// <summary>Of <see cref="TrainingRows"/>, the products whose labels a reviewer accepted or corrected.</summary>
    [Id(21)] public int ReviewedRows { get; init; }
    /// <summary>Evaluation-set rows both models were scored on (none of them trained on).</summary>
    [Id(22)] public int EvaluationRows { get; init; }
    /// <summary>Promoted by policy although the candidate scored below the served model (both scores above).</summary>
    [Id(23)] public bool ForcedPromotion { get; init; }

    public bool IsFinished => State != TrainingState.Running;
}
