using Enrichment.Abstractions;

namespace Enrichment.Grains.Training;

/// <summary>
/// What a training job does with its candidate, and the reason it gives. <paramref name="Forced"/>: promoted by policy
/// although it scored below the served model: shown as forced, never as a plain success.
/// </summary>
public sealed record PromotionDecision(bool Promote, TrainingState Outcome, string Reason, bool Forced = false);

/// <summary>The promotion policy as a pure function of the two scores (both measured on the same rows).</summary>
public static class PromotionRule
{
    public static PromotionDecision Decide(PromotionPolicy policy, double tolerance, double candidateScore, double? servedScore) => policy switch
    {
        PromotionPolicy.Always when servedScore is { } served && candidateScore < served =>
            new(true, TrainingState.Promoted, $"forced by policy Always: candidate scored {candidateScore:P2} < served {served:P2}", Forced: true),
        PromotionPolicy.Always => new(true, TrainingState.Promoted, "policy Always"),
        PromotionPolicy.Never => new(false, TrainingState.Registered, "registered without promotion (policy Never)"),
        PromotionPolicy.NotWorse when servedScore is not { } served => new(true, TrainingState.Promoted, "no model was served"),
        PromotionPolicy.NotWorse when candidateScore >= servedScore - tolerance =>
            new(true, TrainingState.Promoted, $"candidate scored {candidateScore:P2} >= served {servedScore:P2} - tolerance {tolerance:P2}"),
        PromotionPolicy.NotWorse =>
            new(false, TrainingState.Rejected, $"candidate scored {candidateScore:P2} < served {servedScore:P2} - tolerance {tolerance:P2}; served model kept"),
        _ => throw new ArgumentOutOfRangeException(nameof(policy), policy, "unknown promotion policy"),
    };
}
