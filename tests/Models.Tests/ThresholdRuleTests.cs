using Enrichment.Evaluation;
using Enrichment.Models;

namespace Enrichment.Models.Tests;

[Trait("Category", "Unit")]
public sealed class ThresholdRuleTests
{
    private static IEnumerable<ScoredPrediction> Rows(int count, float confidence, int correct) =>
        Enumerable.Range(0, count).Select(i => new ScoredPrediction(confidence, i < correct));

    [Fact]
    public void The_threshold_is_the_lowest_whose_rows_above_meet_the_lower_bound()
    {
        // 200 rows at 0.99 all right; adding the 0.9 rows keeps 396/400 (Wilson lower bound 97.5 %); the 0.6 rows break it.
        var predictions = Rows(200, 0.99f, 200).Concat(Rows(200, 0.9f, 196)).Concat(Rows(200, 0.6f, 120)).ToList();
        var choice = ThresholdRule.Choose(predictions, new AutoApplyTarget(0.97, 50));
        Assert.Equal(0.9, choice.Threshold!.Value, precision: 6);
        Assert.Equal(400, choice.RowsAbove);
        Assert.Equal(400.0 / 600, choice.Coverage, precision: 6);
        Assert.Equal(0.99, choice.Precision, precision: 6);
        Assert.True(choice.PrecisionLowerBound >= 0.97);
    }

    [Fact]
    public void A_point_estimate_above_the_target_is_not_enough_when_its_lower_bound_is_below()
    {
        // 40 of 40 right: the point estimate is 100 %, but the 95 % lower bound is 91 %.
        var choice = ThresholdRule.Choose(Rows(40, 0.99f, 40).Concat(Rows(100, 0.5f, 50)).ToList(), new AutoApplyTarget(0.97, 10));
        Assert.Null(choice.Threshold);
        Assert.Equal(0, choice.Coverage);
    }

    [Fact]
    public void Too_few_rows_above_any_threshold_means_nothing_is_auto_applied()
    {
        var choice = ThresholdRule.Choose(Rows(49, 0.999f, 49).ToList(), new AutoApplyTarget(0.5, 50));
        Assert.Null(choice.Threshold);
        Assert.Equal(49, choice.Rows);
    }

    [Fact]
    public void Ties_are_never_split_a_threshold_keeps_every_row_at_its_confidence()
    {
        // 150 rows at 0.95 of which 140 right: cutting inside the tie would look better than the rows really are.
        var choice = ThresholdRule.Choose(Rows(150, 0.95f, 140).ToList(), new AutoApplyTarget(0.9, 50));
        Assert.Null(choice.Threshold); // 140/150 = 93.3 %, lower bound 88.1 % < 90 %
    }

    [Fact]
    public void Wilson_bound_and_normal_quantile_match_published_values()
    {
        Assert.Equal(1.959964, ThresholdRule.NormalQuantile(0.975), precision: 5);
        Assert.Equal(0.9630, ThresholdRule.WilsonLowerBound(100, 100), precision: 4);
        Assert.Equal(0.4038, ThresholdRule.WilsonLowerBound(50, 100), precision: 4);
    }

    [Fact]
    public void Reliability_bins_and_ece_follow_their_definition()
    {
        // Half the rows at 0.9 with 90 % right, half at 0.6 with 30 % right: ECE = 0.5 * 0 + 0.5 * 0.3.
        var predictions = Rows(100, 0.9f, 90).Concat(Rows(100, 0.6f, 30)).ToList();
        var bins = Calibration.Reliability(predictions, bins: 10);
        Assert.Equal(100, bins[9].Count);
        Assert.Equal(0.9, bins[9].Accuracy, precision: 6);
        Assert.Equal(0.15, Calibration.ExpectedCalibrationError(bins), precision: 5);
    }
}
