using Enrichment.Abstractions;
using Enrichment.Grains.Products;
using Enrichment.Persistence.Catalog;

namespace Enrichment.Grains.Tests.Products;

/// <summary>Issue 13, item 4: a reviewer's decision becomes the catalogue value, with provenance, and outlives events that repeat the old value.</summary>
[Trait("Category", "Unit")]
public sealed class ProductReviewsTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-11-24T07:00:00Z");

    private static Product Enriched() =>
        ProductChange.Apply(null, TestEvents.Product("p", 1, colour: "Red"), Now) with
        {
            Enrichment = new PredictedEnrichment
            {
                ModelVersion = "sha256:v1",
                Attributes = new() { [AttributeNames.Colour] = new("Blue", 0.93f), [AttributeNames.Type] = new("Tshirts", 0.99f) },
            },
            EnrichmentStatus = EnrichmentStatus.Enriched,
        };

    [Fact]
    public void Accepting_takes_the_models_value_and_records_who_when_and_what_the_model_said()
    {
        var (reviewed, refused) = ProductReviews.Apply(Enriched(), new AttributeReviewRequest("colour", null, "ana", "photo is clearly blue"), Now);

        Assert.Null(refused);
        Assert.Equal("Blue", reviewed!.KnownAttributes["colour"]);
        var review = reviewed.Reviews["colour"];
        Assert.Equal(("Blue", "ana", Now, "Red", "Blue", 0.93f, "sha256:v1", true),
            (review.Value, review.By, review.At, review.CatalogueBefore, review.ModelValue, review.ModelConfidence, review.ModelVersion, review.AcceptedModel));
        Assert.Equal("photo is clearly blue", review.Note);
    }

    [Fact]
    public void Correcting_sets_the_reviewers_value()
    {
        var (reviewed, _) = ProductReviews.Apply(Enriched(), new AttributeReviewRequest("colour", " Navy Blue ", "ana"), Now);

        Assert.Equal("Navy Blue", reviewed!.KnownAttributes["colour"]);
        Assert.False(reviewed.Reviews["colour"].AcceptedModel);
    }

    [Theory]
    [InlineData("usage", "Casual", "ana", "attribute must be one of")]
    [InlineData("brand", null, "ana", "predicted no brand")]
    [InlineData("colour", "Blue", "", "'by' must name")]
    [InlineData("colour", "Bl\u0007ue", "ana", "plain text")]
    [InlineData("colour", "   ", "ana", "plain text")]
    public void A_review_that_breaks_a_rule_is_refused_with_the_reason(string attribute, string? value, string by, string reason)
    {
        var (reviewed, refused) = ProductReviews.Apply(Enriched(), new AttributeReviewRequest(attribute, value, by), Now);

        Assert.Null(reviewed);
        Assert.Contains(reason, refused);
    }

    [Fact]
    public void A_later_event_repeating_the_old_catalogue_value_keeps_the_review_and_one_changing_it_supersedes_it()
    {
        var (reviewed, _) = ProductReviews.Apply(Enriched(), new AttributeReviewRequest("colour", null, "ana"), Now);

        var repeated = ProductChange.Apply(reviewed, TestEvents.Product("p", 2, colour: "red"), Now);
        Assert.Equal("Blue", repeated.KnownAttributes["colour"]);
        Assert.True(repeated.Reviews.ContainsKey("colour"));
        Assert.True(ProductChange.SameContent(reviewed!, TestEvents.Product("p", 1, colour: "Red")));

        var changed = ProductChange.Apply(repeated, TestEvents.Product("p", 3, colour: "Green"), Now);
        Assert.Equal("Green", changed.KnownAttributes["colour"]);
        Assert.Empty(changed.Reviews);
    }

    [Fact]
    public void The_recent_event_history_is_bounded()
    {
        Product? product = null;
        for (var version = 1; version <= 25; version++)
        {
            product = ProductChange.Apply(product, TestEvents.Product("p", version), Now.AddMinutes(version));
        }

        Assert.Equal(ReviewRules.MaxHistory, product!.RecentEvents.Count);
        Assert.Equal(Enumerable.Range(16, 10).Select(v => (long)v), product.RecentEvents.Select(e => e.Version));
    }

    [Fact]
    public void A_second_review_of_an_attribute_keeps_what_the_catalogue_said_before_the_first()
    {
        var (accepted, _) = ProductReviews.Apply(Enriched(), new AttributeReviewRequest("colour", null, "ana"), Now);
        var (corrected, refused) = ProductReviews.Apply(accepted!, new AttributeReviewRequest("colour", "Navy Blue", "bo"), Now.AddMinutes(1));

        Assert.Null(refused);
        Assert.Equal(("Navy Blue", "bo", "Red"), (corrected!.Reviews["colour"].Value, corrected.Reviews["colour"].By, corrected.Reviews["colour"].CatalogueBefore));
        // The catalogue repeats its original value: the second review stands.
        var repeated = ProductChange.Apply(corrected, TestEvents.Product("p", 2, colour: "Red"), Now.AddMinutes(2));
        Assert.Equal("Navy Blue", repeated.KnownAttributes["colour"]);
        Assert.Equal("bo", repeated.Reviews["colour"].By);
    }
}

