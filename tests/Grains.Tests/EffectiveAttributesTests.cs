using Enrichment.Abstractions;

namespace Enrichment.Grains.Tests;

[Trait("Category", "Unit")]
public sealed class EffectiveAttributesTests
{
    private static ProductView Product(Dictionary<string, string> known, Dictionary<string, PredictedAttribute> predicted) => new()
    {
        ProductId = "p",
        Version = 1,
        LastEventId = "e",
        Name = "n",
        KnownAttributes = known,
        Enrichment = new Abstractions.PredictedEnrichment { ModelVersion = "v", Attributes = predicted },
    };

    [Fact]
    public void Catalogue_values_win_predictions_fill_gaps_and_the_catch_all_class_is_no_value()
    {
        var product = Product(
            new() { [AttributeNames.Colour] = "Navy Blue" },
            new()
            {
                [AttributeNames.Colour] = new("Black", 0.9f),
                [AttributeNames.Type] = new("Tshirts", 0.8f),
                [AttributeNames.Brand] = new(ProductView.OtherClass, 0.6f),
            });

        var effective = product.EffectiveAttributes();

        Assert.Equal("Navy Blue", effective[AttributeNames.Colour]);
        Assert.Equal("Tshirts", effective[AttributeNames.Type]);
        Assert.False(effective.ContainsKey(AttributeNames.Brand));
    }
}
