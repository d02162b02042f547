using Enrichment.Abstractions;

namespace Enrichment.Grains.Tests;

/// <summary>A review through the product grain: stored, projected (search finds the corrected value) and counted.</summary>
[Collection(CatalogClusterCollection.Name)]
[Trait("Category", "Cluster")]
public sealed class ReviewTests(CatalogClusterFixture fixture)
{
    [Fact]
    public async Task A_correction_is_stored_searchable_by_its_value_and_counted_as_a_reviewed_label()
    {
        var id = TestEvents.UniqueId("review");
        var product = fixture.Grains.GetGrain<IProductGrain>(id);
        await product.Apply(TestEvents.Product(id, 1, colour: "Red"));
        var search = fixture.Grains.GetGrain<ICatalogSearchGrain>(0);
        var reviewedBefore = await search.CountReviewed();

        var decisions = new System.Collections.Concurrent.ConcurrentQueue<string?>();
        using var listener = new System.Diagnostics.Metrics.MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Name == "enrichment.review.decisions")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, _, tags, _) => decisions.Enqueue(tags.ToArray().Single(t => t.Key == "action").Value as string));
        listener.Start();

        var outcome = await product.Review(new AttributeReviewRequest("colour", "Mauve Review", "ana", NewValue: true));
        Assert.Contains("corrected", decisions);

        Assert.Null(outcome.Refused);
        Assert.Equal("Mauve Review", (await product.Get())!.KnownAttributes["colour"]);
        Assert.Equal("ana", (await product.Get())!.Reviews["colour"].By);
        var found = await search.Search(new CatalogQuery { Attributes = new() { ["colour"] = ["mauve review"] }, Source = AttributeSource.Catalogue });
        Assert.Contains(found.Items, p => p.ProductId == id);
        var reviewedAfter = await search.CountReviewed();
        Assert.Equal(reviewedBefore.Reviewed + 1, reviewedAfter.Reviewed);
        // No photo: training cannot learn from it, so the count of labels the next training uses does not announce it.
        Assert.Equal(reviewedBefore.UsedByNextTraining, reviewedAfter.UsedByNextTraining);

        var labelledId = TestEvents.UniqueId("review-labelled");
        var labelled = fixture.Grains.GetGrain<IProductGrain>(labelledId);
        await labelled.Apply(TestEvents.Product(labelledId, 1, colour: "Red") with { Image = TestEvents.RefFor([0xFF, 0xD8, 0xFF, 0x07]) });
        Assert.Null((await labelled.Review(new AttributeReviewRequest("colour", "Mauve Review", "ana"))).Refused);
        Assert.False((await labelled.Get())!.Reviews["colour"].NewValue);
        var reviewedLabelled = await search.CountReviewed();
        Assert.Equal(reviewedAfter.Reviewed + 1, reviewedLabelled.Reviewed);
        Assert.Equal(reviewedAfter.UsedByNextTraining + (Enrichment.Evaluation.EvaluationSet.Contains(labelledId, new()) ? 0 : 1), reviewedLabelled.UsedByNextTraining);

        var refused = await product.Review(new AttributeReviewRequest("colour", null, "ana"));
        Assert.Contains("predicted no colour", refused.Refused);
        Assert.Contains("no product", (await fixture.Grains.GetGrain<IProductGrain>(TestEvents.UniqueId("none")).Review(new("colour", "Red", "ana"))).Refused);
    }

    [Fact]
    public async Task An_unknown_value_is_refused_with_the_closest_known_ones_and_a_confirmed_one_is_marked_new_in_the_history_and_the_log()
    {
        var id = TestEvents.UniqueId("review-new");
        var product = fixture.Grains.GetGrain<IProductGrain>(id);
        await product.Apply(TestEvents.Product(id, 1, colour: "Black"));
        var peer = TestEvents.UniqueId("review-peer");
        await fixture.Grains.GetGrain<IProductGrain>(peer).Apply(TestEvents.Product(peer, 1, colour: "Black"));
        var navy = TestEvents.UniqueId("review-navy");
        await fixture.Grains.GetGrain<IProductGrain>(navy).Apply(TestEvents.Product(navy, 1, colour: "Navy Blue"));

        var refused = await product.Review(new AttributeReviewRequest("colour", "Balck", "ana"));
        Assert.Equal(ReviewRefusal.UnknownValue, refused.Refusal);
        Assert.Equal("Black", refused.Closest![0].Value);
        Assert.Contains("Black (", refused.Refused);
        Assert.Equal("Black", (await product.Get())!.KnownAttributes["colour"]);

        // A known value in another spelling is stored as the catalogue spells it.
        var known = await product.Review(new AttributeReviewRequest("colour", "  navy  BLUE ", "ana"));
        Assert.True(known.Product is not null, known.Refused);
        Assert.Equal(("Navy Blue", false), (known.Product!.KnownAttributes["colour"], known.Entry!.NewValue));

        var confirmed = await product.Review(new AttributeReviewRequest("colour", "Balck Review", "ana", "seen in the photo", NewValue: true));
        Assert.True(confirmed.Entry!.NewValue);
        var view = (await product.Get())!;
        Assert.Equal(["Navy Blue", "Balck Review"], view.ReviewHistory.Select(e => e.To));
        Assert.Equal(["Black", "Navy Blue"], view.ReviewHistory.Select(e => e.From));

        var undone = await product.UndoReview(new UndoReviewRequest("colour", "bo"));
        Assert.Equal("Navy Blue", undone.Product!.KnownAttributes["colour"]);
        Assert.Equal((ReviewAction.Undone, 2L), (undone.Entry!.Action, undone.Entry.Undoes));

        var log = await fixture.Grains.GetGrain<IReviewLogGrain>(0).History(null, 10, id);
        Assert.Equal([3L, 2L, 1L], log.Items.Select(e => e.Entry));
        Assert.Equal(["bo", "ana", "ana"], log.Items.Select(e => e.By));

        var reviewed = await fixture.Grains.GetGrain<ICatalogSearchGrain>(0).Search(new CatalogQuery { Reviewed = true, Limit = 200, Text = null });
        var notReviewed = await fixture.Grains.GetGrain<ICatalogSearchGrain>(0).Search(new CatalogQuery { Reviewed = false, Limit = 200 });
        Assert.True(reviewed.Items.All(p => p.Reviews.Count > 0) && notReviewed.Items.All(p => p.Reviews.Count == 0));
        Assert.Equal(reviewed.Total + notReviewed.Total, (await fixture.Grains.GetGrain<ICatalogSearchGrain>(0).Search(new CatalogQuery())).Total);
    }
}
