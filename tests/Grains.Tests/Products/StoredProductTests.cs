using System.Text.Json;
using Enrichment.Abstractions;
using Enrichment.Grains.Products;

namespace Enrichment.Grains.Tests.Products;

/// <summary>Storage keeps its own record of a product; mapping it to the wire view and back loses nothing.</summary>
[Trait("Category", "Unit")]
public sealed class StoredProductTests
{
    [Fact]
    public void Every_field_of_a_product_survives_the_way_to_storage_and_back()
    {
        var view = new ProductView
        {
            ProductId = "p-1",
            Version = 7,
            LastEventId = "e-7",
            Name = "Navy T-shirt",
            Image = new ImageRef(new string('a', 64), 1234, "image/jpeg"),
            KnownAttributes = new() { [AttributeNames.Colour] = "Navy Blue", [AttributeNames.Usage] = "Casual" },
            Enrichment = new PredictedEnrichment
            {
                ModelVersion = "sha256:abc",
                Attributes = new() { [AttributeNames.Type] = new("Tshirts", 0.93f) },
                Caption = "a navy t-shirt",
                EnrichedAt = DateTimeOffset.Parse("2026-11-24T06:00:00Z"),
                Error = "none",
            },
            UpdatedAt = DateTimeOffset.Parse("2026-11-24T06:01:00Z"),
            EnrichmentStatus = EnrichmentStatus.Enriched,
            EnrichmentNote = "note",
            Reviews = new()
            {
                [AttributeNames.Colour] = new AttributeReview
                {
                    Value = "Navy Blue", By = "ana", At = DateTimeOffset.Parse("2026-11-24T06:02:00Z"), CatalogueBefore = "Blue", ModelValue = "Navy Blue",
                    ModelConfidence = 0.8f, ModelVersion = "sha256:abc", Note = "checked", AcceptedModel = true,
                },
            },
            RecentEvents = [new AppliedEvent("e-6", 6, DateTimeOffset.Parse("2026-11-24T05:00:00Z")), new AppliedEvent("e-7", 7, DateTimeOffset.Parse("2026-11-24T06:01:00Z"))],
        };

        var back = StoredProduct.From(view).ToView();

        Assert.Equal(JsonSerializer.Serialize(view), JsonSerializer.Serialize(back));
    }
}
