using Enrichment.Evaluation;
using Enrichment.Models;

namespace Enrichment.Models.Tests;

/// <summary>Issue 13, item 1: the evaluation set is chosen once by a seeded rule, the same for the CLI and the cluster.</summary>
[Trait("Category", "Unit")]
public sealed class EvaluationSetTests
{
    [Fact]
    public void Membership_is_a_stable_seeded_fraction_of_every_class()
    {
        var rows = TestData.Rows();
        var options = new EvaluationOptions();

        var members = rows.Where(r => EvaluationSet.Contains(r.Id.ToString(), options)).ToList();

        // The same ids every time, and another seed chooses others.
        Assert.Equal(members, rows.Where(r => EvaluationSet.Contains(r.Id.ToString(), options)).ToList());
        Assert.NotEqual(members.Select(r => r.Id), rows.Where(r => EvaluationSet.Contains(r.Id.ToString(), options with { Seed = 7 })).Select(r => r.Id));
        Assert.InRange(members.Count, (int)(rows.Count * 0.12), (int)(rows.Count * 0.28));
        // Every class with enough rows is represented: the hash is blind to classes, so each keeps about its share.
        foreach (var type in rows.GroupBy(r => r.ArticleType).Where(g => g.Count() >= 15))
        {
            Assert.Contains(members, r => r.ArticleType == type.Key);
        }
    }

    [Fact]
    public void The_minimum_class_size_fits_a_small_catalogue_and_stays_at_the_library_default_for_a_large_one()
    {
        var small = Enumerable.Range(0, 400).Select(i => Row(i, $"type{i % 20}")).ToList();
        var large = Enumerable.Range(0, 40_000).Select(i => Row(i, $"type{i % 40}")).ToList();

        Assert.Equal(8, TrainingPlan.MinClassCountFor(small, new SplitOptions()));
        Assert.Equal(20, TrainingPlan.MinClassCountFor(large, new SplitOptions()));
        Assert.Equal(2, TrainingPlan.MinClassCountFor([], new SplitOptions()));
    }

    [Fact]
    public void A_small_catalogue_gets_smaller_batches_and_more_epochs_a_large_one_the_library_defaults()
    {
        Assert.Equal((16, 15), (TrainingPlan.BatchSizeFor(400, new SplitOptions()), TrainingPlan.EpochsFor(400, 16, new SplitOptions())));
        Assert.Equal((64, 3), (TrainingPlan.BatchSizeFor(40_000, new SplitOptions()), TrainingPlan.EpochsFor(40_000, 64, new SplitOptions())));
        Assert.Equal(30, TrainingPlan.EpochsFor(20, 8, new SplitOptions()));
    }

    private static CatalogRow Row(int id, string type) => new(id, "Apparel", "Topwear", type, "Red", "Casual", "a product");
}
