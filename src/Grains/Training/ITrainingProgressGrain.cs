using Enrichment.Abstractions;

namespace Enrichment.Grains.Training;

/// <summary>
/// The training grain's side door for the job it started: wherever that grain lives now, the job reports to it, and
/// learns whether it should go on.
/// </summary>
[Alias("Enrichment.ITrainingProgressGrain")]
public interface ITrainingProgressGrain : IGrainWithIntegerKey
{
    /// <summary>False when the job should stop: it was cancelled, or the coordinator no longer knows it.</summary>
    [Alias("Report")] Task<bool> Report(TrainingJobStatus status);
}
