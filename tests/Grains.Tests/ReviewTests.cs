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

        var outcome = await product.Review(new AttributeReviewRequest("colour", "Mauve Review", "ana"));

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
        var reviewedLabelled = await search.CountReviewed();
        Assert.Equal(reviewedAfter.Reviewed + 1, reviewedLabelled.Reviewed);
        Assert.Equal(reviewedAfter.UsedByNextTraining + (Enrichment.Evaluation.EvaluationSet.Contains(labelledId, new()) ? 0 : 1), reviewedLabelled.UsedByNextTraining);

        var refused = await product.Review(new AttributeReviewRequest("colour", null, "ana"));
        Assert.Contains("predicted no colour", refused.Refused);
        Assert.Contains("no product", (await fixture.Grains.GetGrain<IProductGrain>(TestEvents.UniqueId("none")).Review(new("colour", "Red", "ana"))).Refused);
    }
}
