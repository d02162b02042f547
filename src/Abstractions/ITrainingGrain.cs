namespace Enrichment.Abstractions;

/// <summary>
/// Coordinates retraining on the labelled catalogue (singleton, key 0). Calls return at once: the job runs in the
/// background on a model silo and its progress is read with <see cref="GetStatus"/>.
/// </summary>
public interface ITrainingGrain : IGrainWithIntegerKey
{
    /// <summary>Starts a job; refused (InvalidOperationException) while another one runs.</summary>
    Task<TrainingJobStatus> Start(TrainingRequest request);

    /// <summary>The running or most recent job; null before the first.</summary>
    Task<TrainingJobStatus?> GetStatus();

    Task<TrainingJobStatus[]> History();

    Task<TrainingJobStatus?> Cancel();
}

public enum PromotionPolicy
{
    /// <summary>Promote when the candidate's validation score is at least the served model's minus the tolerance.</summary>
    NotWorse,
    Always,
    /// <summary>Register the version but leave serving alone (promote later by deployment).</summary>
    Never,
}

[GenerateSerializer, Immutable]
public sealed record TrainingRequest
{
    [Id(0)] public int Epochs { get; init; } = 3;
    [Id(1)] public int BatchSize { get; init; } = 64;
    [Id(2)] public double LearningRate { get; init; } = 0.05;
    /// <summary>"resnet18" (CPU-friendly) or "resnet50" (the library's network).</summary>
    [Id(3)] public string Architecture { get; init; } = "resnet18";
    [Id(4)] public int BaseWidth { get; init; } = 32;
    /// <summary>Classes with fewer training rows than this map to "other".</summary>
    [Id(5)] public int MinClassCount { get; init; } = 20;
    [Id(6)] public PromotionPolicy Policy { get; init; } = PromotionPolicy.NotWorse;
    [Id(7)] public double Tolerance { get; init; }
    /// <summary>Re-enrich every product with the new version after promotion (throttled).</summary>
    [Id(8)] public bool ReEnrich { get; init; }
    [Id(9)] public int Seed { get; init; } = 42;
    [Id(10)] public TimeSpan? TimeBudget { get; init; }
}

public enum TrainingState { Running, Promoted, Rejected, Registered, Failed, Cancelled }

[GenerateSerializer, Immutable]
public sealed record TrainingEpochPoint(
    [property: Id(0)] int Epoch,
    [property: Id(1)] double TrainLoss,
    [property: Id(2)] double TrainTypeAccuracy,
    [property: Id(3)] double TrainColourAccuracy,
    [property: Id(4)] double? ValidationScore);

[GenerateSerializer, Immutable]
public sealed record TrainingJobStatus
{
    [Id(0)] public required string JobId { get; init; }
    [Id(1)] public required TrainingState State { get; init; }
    [Id(2)] public required TrainingRequest Request { get; init; }
    [Id(3)] public string? Silo { get; init; }
    [Id(4)] public string Phase { get; init; } = "queued";
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

    public bool IsFinished => State != TrainingState.Running;
}
