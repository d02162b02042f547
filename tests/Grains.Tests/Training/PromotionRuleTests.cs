using Enrichment.Abstractions;
using Enrichment.Grains.Training;

namespace Enrichment.Grains.Tests.Training;

[Trait("Category", "Unit")]
public sealed class PromotionRuleTests
{
    [Theory]
    [InlineData(0.80, 0.80, 0.00, true)]   // a tie is not worse
    [InlineData(0.79, 0.80, 0.00, false)]
    [InlineData(0.79, 0.80, 0.02, true)]   // within the tolerance
    [InlineData(0.77, 0.80, 0.02, false)]
    [InlineData(0.90, 0.80, 0.00, true)]
    public void NotWorse_promotes_when_the_candidate_is_at_least_the_served_score_minus_the_tolerance(double candidate, double served, double tolerance, bool promote)
    {
        var decision = PromotionRule.Decide(PromotionPolicy.NotWorse, tolerance, candidate, served);

        Assert.Equal(promote, decision.Promote);
        Assert.Equal(promote ? TrainingState.Promoted : TrainingState.Rejected, decision.Outcome);
        Assert.Contains("served", decision.Reason);
    }

    [Fact]
    public void NotWorse_promotes_when_nothing_is_served()
    {
        var decision = PromotionRule.Decide(PromotionPolicy.NotWorse, 0, 0.1, null);

        Assert.True(decision.Promote);
        Assert.Equal("no model was served", decision.Reason);
    }

    [Theory]
    [InlineData(0.50, 0.80, true)]
    [InlineData(0.80, 0.80, false)]
    [InlineData(0.90, 0.80, false)]
    public void Always_promotes_a_worse_candidate_as_forced_naming_both_scores(double candidate, double served, bool forced)
    {
        var decision = PromotionRule.Decide(PromotionPolicy.Always, 0, candidate, served);

        Assert.True(decision.Promote);
        Assert.Equal(TrainingState.Promoted, decision.Outcome);
        Assert.Equal(forced, decision.Forced);
        if (forced)
        {
            Assert.Equal("forced by policy Always: candidate scored 50.00 % < served 80.00 %", decision.Reason.Replace('\u00a0', ' '));
        }
    }

    [Fact]
    public void Always_and_Never_ignore_the_scores()
    {
        Assert.True(PromotionRule.Decide(PromotionPolicy.Always, 0, 0.1, 0.9).Promote);
        var never = PromotionRule.Decide(PromotionPolicy.Never, 0, 0.9, 0.1);
        Assert.False(never.Promote);
        Assert.Equal(TrainingState.Registered, never.Outcome);
    }

    [Fact]
    public void Only_milestones_are_worth_a_write()
    {
        var stored = new TrainingJobStatus { JobId = "j", State = TrainingState.Running, Request = new(), Phase = TrainingJobPhase.Training, Epoch = 1, Iteration = 3 };

        Assert.False(TrainingStatusRules.IsMilestone(stored, stored with { Iteration = 9, Loss = 0.5 }));
        Assert.True(TrainingStatusRules.IsMilestone(stored, stored with { Epoch = 2 }));
        Assert.True(TrainingStatusRules.IsMilestone(stored, stored with { Phase = TrainingJobPhase.ValidatingEpoch }));
        Assert.True(TrainingStatusRules.IsMilestone(stored, stored with { State = TrainingState.Cancelled }));
        Assert.True(TrainingStatusRules.IsMilestone(null, stored));
    }
}
