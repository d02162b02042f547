namespace Enrichment.Models;

public enum TrainingPhase { Loading, Training, Validating, Finished }

/// <summary>Progress report for UIs and the training grain. Accuracies are running means over the epoch.</summary>
public sealed record TrainingProgress(
    TrainingPhase Phase, int Epoch, int Epochs, int Iteration, int IterationsPerEpoch,
    double Loss, double TypeAccuracy, double ColourAccuracy, double LearningRate,
    TimeSpan Elapsed, TimeSpan? Eta, double? ValidationScore = null);

/// <summary>Outcome of a training run.</summary>
public sealed record TrainingResult(int BestEpoch, double BestScore, string? BestCheckpoint, int EpochsRun, TimeSpan Elapsed, bool StoppedByTimeBudget);
