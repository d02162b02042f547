using Enrichment.Abstractions;
using Enrichment.Models;

namespace Enrichment.Grains.Training;

/// <summary>The latest status of a running job, written by the job's thread and read by the training grain.</summary>
public sealed class TrainingJobProgress(TrainingJobStatus initial)
{
    private readonly object _gate = new();
    private TrainingJobStatus _status = initial;

    public TrainingJobStatus Status
    {
        get { lock (_gate) return _status; }
    }

    public void Update(Func<TrainingJobStatus, TrainingJobStatus> change)
    {
        lock (_gate) _status = change(_status);
    }

    public void Phase(TrainingJobPhase phase) => Update(s => s with { Phase = phase });

    /// <summary>Folds a trainer report in; validation reports close an epoch on the learning curve.</summary>
    /// <remarks>
    /// A non-finite loss ends the job (the exception fails it with this message): the network has diverged, and a NaN
    /// in the status would be persisted where the HTTP API cannot serialise it.
    /// </remarks>
    public void Report(TrainingProgress p) => Update(s =>
    {
        if (p.Phase == TrainingPhase.Training && !(double.IsFinite(p.Loss) && double.IsFinite(p.TypeAccuracy) && double.IsFinite(p.ColourAccuracy)))
        {
            throw new InvalidOperationException(
                $"training diverged at epoch {p.Epoch}, iteration {p.Iteration} (loss {p.Loss}); try a lower learning rate");
        }
        var next = s with
        {
            Phase = p.Phase switch
            {
                TrainingPhase.Loading => TrainingJobPhase.Loading,
                TrainingPhase.Training => TrainingJobPhase.Training,
                TrainingPhase.Validating => TrainingJobPhase.ValidatingEpoch,
                // The trainer is done; the job's own next step names the phase.
                _ => s.Phase,
            },
            Epoch = p.Epoch,
            Iteration = p.Iteration,
            IterationsPerEpoch = p.IterationsPerEpoch,
            Loss = p.Phase == TrainingPhase.Training ? p.Loss : s.Loss,
            TypeAccuracy = p.Phase == TrainingPhase.Training ? p.TypeAccuracy : s.TypeAccuracy,
            ColourAccuracy = p.Phase == TrainingPhase.Training ? p.ColourAccuracy : s.ColourAccuracy,
            Eta = p.Eta,
        };
        if (p.Phase == TrainingPhase.Validating && p.ValidationScore is { } score && double.IsFinite(score) && s.Curve.All(c => c.Epoch != p.Epoch))
        {
            next = next with { Curve = [.. s.Curve, new TrainingEpochPoint(p.Epoch, s.Loss, s.TypeAccuracy, s.ColourAccuracy, score)] };
        }
        return next;
    });
}
