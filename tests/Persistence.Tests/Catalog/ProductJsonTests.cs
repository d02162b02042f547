using System.Text.Json;
using Enrichment.Abstractions;
using Enrichment.Persistence.Catalog;

namespace Enrichment.Persistence.Tests.Catalog;

/// <summary>A product is one internal type: stored as JSON and mapped once to the wire, losing nothing on either way.</summary>
[Trait("Category", "Unit")]
public sealed class ProductJsonTests
{
    private static Product EveryField() => new()
    {
        ProductId = "p-1",
        Version = 7,
        LastEventId = "e-7",
        Name = "Navy T-shirt",
        Image = new ImageRef(new string('a', 64), 1234, "image/jpeg"),
        MoreImages = [new ImageRef(new string('b', 64), 2345, "image/png")],
        KnownAttributes = new() { [AttributeNames.Colour] = "Navy Blue", [AttributeNames.Usage] = "Casual" },
        Enrichment = new PredictedEnrichment
        {
            ModelVersion = "sha256:abc",
            Attributes = new()
            {
                [AttributeNames.Type] = new("Tshirts", 0.93f) { Input = AutoApplyRules.PhotoAndNameInput, AutoApplyThreshold = 0.9f, MeasuredPrecision = 0.971f, Photo = 1 },
            },
            Caption = "a navy t-shirt",
            EnrichedAt = DateTimeOffset.Parse("2026-11-24T06:00:00Z"),
            Error = "none",
            Photos = 2,
            UnreadablePhotos = "photo 3 (bad image)",
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
        RecentEventIds = ["e-6", "e-7"],
    };

    [Fact]
    public void Every_field_survives_the_way_to_storage_and_back()
    {
        var product = EveryField();

        var back = ProductJson.Read(ProductJson.Write(product));

        // The prediction trail (input, threshold, measured precision) is what a reviewer trusts a value by.
        Assert.Equal(JsonSerializer.Serialize(product), JsonSerializer.Serialize(back));
    }

    [Fact]
    public void The_wire_view_shows_every_field_callers_see_with_the_products_values()
    {
        var product = EveryField();
        var view = product.ToView();

        // Settable properties are the view's fields; the others (provenance) are computed from them.
        foreach (var property in typeof(ProductView).GetProperties().Where(p => p.SetMethod is not null))
        {
            var source = typeof(Product).GetProperty(property.Name);
            Assert.True(source is not null, $"ProductView.{property.Name} has no counterpart on Product");
            Assert.Equal(JsonSerializer.Serialize(source!.GetValue(product)), JsonSerializer.Serialize(property.GetValue(view)));
        }
    }
}
