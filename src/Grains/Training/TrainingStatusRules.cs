using Enrichment.Abstractions;

namespace Enrichment.Grains.Training;

/// <summary>Which progress reports are worth a storage write: reads and per-iteration reports never are.</summary>
public static class TrainingStatusRules
{
    /// <summary>A new state, phase, epoch or learning-curve point: what must survive a restart of the coordinator.</summary>
    public static bool IsMilestone(TrainingJobStatus? stored, TrainingJobStatus live) =>
        stored is null
        || stored.JobId != live.JobId
        || stored.State != live.State
        || stored.Phase != live.Phase
        || stored.Epoch != live.Epoch
        || stored.Curve.Count != live.Curve.Count
        || stored.CandidateVersion != live.CandidateVersion;
}
