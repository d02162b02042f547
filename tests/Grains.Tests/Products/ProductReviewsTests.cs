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
        var (reviewed, _, _, refused) = ProductReviews.Apply(Enriched(), new AttributeReviewRequest("colour", null, "ana", "photo is clearly blue"), null, Now);

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
        var (reviewed, _, _, _) = ProductReviews.Apply(Enriched(), new AttributeReviewRequest("colour", " Navy Blue ", "ana"), "Navy Blue", Now);

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
        var (reviewed, _, _, refused) = ProductReviews.Apply(Enriched(), new AttributeReviewRequest(attribute, value, by), value, Now);

        Assert.Null(reviewed);
        Assert.Contains(reason, refused);
    }

    [Fact]
    public void A_later_event_repeating_the_old_catalogue_value_keeps_the_review_and_one_changing_it_supersedes_it()
    {
        var (reviewed, _, _, _) = ProductReviews.Apply(Enriched(), new AttributeReviewRequest("colour", null, "ana"), null, Now);

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
        var (accepted, _, _, _) = ProductReviews.Apply(Enriched(), new AttributeReviewRequest("colour", null, "ana"), null, Now);
        var (corrected, _, _, refused) = ProductReviews.Apply(accepted!, new AttributeReviewRequest("colour", "Navy Blue", "bo"), "Navy Blue", Now.AddMinutes(1));

        Assert.Null(refused);
        Assert.Equal(("Navy Blue", "bo", "Red"), (corrected!.Reviews["colour"].Value, corrected.Reviews["colour"].By, corrected.Reviews["colour"].CatalogueBefore));
        // The catalogue repeats its original value: the second review stands.
        var repeated = ProductChange.Apply(corrected, TestEvents.Product("p", 2, colour: "Red"), Now.AddMinutes(2));
        Assert.Equal("Navy Blue", repeated.KnownAttributes["colour"]);
        Assert.Equal("bo", repeated.Reviews["colour"].By);
    }

    [Fact]
    public void A_correction_takes_the_catalogues_spelling_and_an_unknown_value_needs_confirmation_and_is_marked_new()
    {
        var known = ProductReviews.Apply(Enriched(), new AttributeReviewRequest("colour", "navy  blue", "ana"), "Navy Blue", Now);
        Assert.Equal(("Navy Blue", false), (known.Product!.KnownAttributes["colour"], known.Entry!.NewValue));

        var unconfirmed = ProductReviews.Apply(Enriched(), new AttributeReviewRequest("colour", "Balck", "ana"), null, Now);
        Assert.Equal(ReviewRefusal.UnknownValue, unconfirmed.Refusal);
        Assert.Null(unconfirmed.Product);
        Assert.Contains("newValue", unconfirmed.Refused);

        var confirmed = ProductReviews.Apply(Enriched(), new AttributeReviewRequest("colour", "Balck", "ana", NewValue: true), null, Now);
        Assert.Equal("Balck", confirmed.Product!.KnownAttributes["colour"]);
        Assert.True(confirmed.Entry!.NewValue);
        Assert.True(confirmed.Product.Reviews["colour"].NewValue);
        Assert.Equal((1L, ReviewAction.Corrected, "Red", "Balck", "ana", Now), (confirmed.Entry.Entry, confirmed.Entry.Action, confirmed.Entry.From, confirmed.Entry.To, confirmed.Entry.By, confirmed.Entry.At));
    }

    [Fact]
    public void Undo_restores_the_value_and_the_review_before_and_is_itself_a_history_entry()
    {
        var first = ProductReviews.Apply(Enriched(), new AttributeReviewRequest("colour", null, "ana"), null, Now).Product!;
        var second = ProductReviews.Apply(first, new AttributeReviewRequest("colour", "Navy Blue", "bo"), "Navy Blue", Now.AddMinutes(1)).Product!;

        var undone = ProductReviews.Undo(second, new UndoReviewRequest("colour", "cy", "wrong row"), Now.AddMinutes(2));
        Assert.Null(undone.Refused);
        Assert.Equal("Blue", undone.Product!.KnownAttributes["colour"]);
        Assert.Equal(("ana", 1L), (undone.Product.Reviews["colour"].By, undone.Product.Reviews["colour"].Entry));
        Assert.Equal((3L, ReviewAction.Undone, "Navy Blue", "Blue", 2L, "cy"), (undone.Entry!.Entry, undone.Entry.Action, undone.Entry.From, undone.Entry.To, undone.Entry.Undoes, undone.Entry.By));
        Assert.Equal([1L, 2L, 3L], undone.Product.ToView().ReviewHistory.Select(e => e.Entry));

        // Undone again: back to the catalogue's own value, no review left; then nothing remains to undo.
        var again = ProductReviews.Undo(undone.Product, new UndoReviewRequest("colour", "cy"), Now.AddMinutes(3));
        Assert.Equal("Red", again.Product!.KnownAttributes["colour"]);
        Assert.False(again.Product.Reviews.ContainsKey("colour"));
        Assert.Equal(1L, again.Entry!.Undoes);
        Assert.Equal(ReviewRefusal.NothingToUndo, ProductReviews.Undo(again.Product, new UndoReviewRequest("colour", "cy"), Now).Refusal);
    }

    [Fact]
    public void Undo_of_a_value_the_catalogue_never_had_removes_it()
    {
        var product = Enriched() with { KnownAttributes = new() };
        var reviewed = ProductReviews.Apply(product, new AttributeReviewRequest("type", null, "ana"), null, Now).Product!;
        var undone = ProductReviews.Undo(reviewed, new UndoReviewRequest("type", "ana"), Now).Product!;
        Assert.False(undone.KnownAttributes.ContainsKey("type"));
        Assert.Empty(undone.Reviews);
    }

    [Fact]
    public void The_products_review_history_is_bounded_and_an_entry_that_left_it_cannot_be_undone()
    {
        var product = Enriched();
        for (var i = 0; i < 25; i++)
        {
            var attribute = i == 0 ? "colour" : "type";
            product = ProductReviews.Apply(product, new AttributeReviewRequest(attribute, null, "ana"), null, Now.AddMinutes(i)).Product!;
        }

        Assert.Equal(ReviewRules.MaxProductReviewHistory, product.ReviewHistory.Count);
        Assert.Equal(25L, product.ReviewEntries);
        Assert.Equal(Enumerable.Range(6, 20).Select(i => (long)i), product.ReviewHistory.Select(s => s.Entry.Entry));
        var refused = ProductReviews.Undo(product, new UndoReviewRequest("colour", "ana"), Now);
        Assert.Equal(ReviewRefusal.NothingToUndo, refused.Refusal);
        Assert.Contains("review log", refused.Refused);
        Assert.Equal("Tshirts", ProductReviews.Undo(product, new UndoReviewRequest("type", "ana"), Now).Product!.KnownAttributes["type"]);
    }

    [Fact]
    public void The_closest_known_values_are_the_nearest_by_edit_distance_then_the_most_frequent()
    {
        FacetValue[] known = [new("blue", 40), new("black", 120), new("brown", 10), new("navy blue", 30), new("white", 90)];
        Assert.Equal(["black", "blue"], KnownValues.Closest("Balck", known, 2).Select(v => v.Value));
        Assert.Equal(1, KnownValues.Distance("balck", "black"));
    }
}
