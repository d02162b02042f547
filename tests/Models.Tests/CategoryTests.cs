using Enrichment.TestSupport;

namespace Enrichment.Models.Tests;

/// <summary>Every test class here has one known category, so no filtered run (README, "Choosing tests") leaves one out.</summary>
[Trait("Category", "Unit")]
public sealed class CategoryTests
{
    [Fact]
    public void Every_test_class_has_exactly_one_known_category()
    {
        var problems = TestCategories.Problems(typeof(CategoryTests).Assembly);
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }
}
