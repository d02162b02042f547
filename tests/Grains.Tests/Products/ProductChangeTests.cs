using Enrichment.Abstractions;
using Enrichment.Grains.Products;
using Enrichment.Persistence.Catalog;

namespace Enrichment.Grains.Tests.Products;

/// <summary>The pure rule for folding an event into a product, where it concerns predictions and the photo.</summary>
[Trait("Category", "Unit")]
public sealed class ProductChangeTests
{
    private static readonly ImageRef PhotoA = TestEvents.RefFor([0xFF, 0xD8, 0xFF, 0xA]);
    private static readonly ImageRef PhotoB = TestEvents.RefFor([0xFF, 0xD8, 0xFF, 0xB]);

    private static Product EnrichedFrom(ImageRef photo) =>
        ProductChange.Apply(null, TestEvents.Product("p", 1) with { Image = photo }, DateTimeOffset.UtcNow) with
        {
            Enrichment = new Abstractions.PredictedEnrichment
            {
                ModelVersion = "sha256:v1",
                Attributes = new() { [AttributeNames.Brand] = new("Titan", 0.9f) },
                Caption = "black watch",
            },
            EnrichmentStatus = EnrichmentStatus.Enriched,
        };

    [Fact]
    public void A_new_photo_drops_the_predictions_of_the_old_one_and_waits_for_enrichment()
    {
        var v1 = EnrichedFrom(PhotoA);

        var v2 = ProductChange.Apply(v1, TestEvents.Product("p", 2) with { Image = PhotoB }, DateTimeOffset.UtcNow);

        Assert.Equal(PhotoB, v2.Image);
        Assert.Null(v2.Enrichment);
        Assert.Equal(EnrichmentStatus.Pending, v2.EnrichmentStatus);
        Assert.Null(v2.EnrichmentNote);
        // The old photo's predicted brand must not reach search through the effective attributes either.
        Assert.False(v2.ToView().EffectiveAttributes().ContainsKey(AttributeNames.Brand));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void The_same_photo_or_none_keeps_the_predictions(bool resendPhoto)
    {
        var v1 = EnrichedFrom(PhotoA);

        var v2 = ProductChange.Apply(v1, TestEvents.Product("p", 2, colour: "White") with { Image = resendPhoto ? PhotoA : null, Name = v1.Name }, DateTimeOffset.UtcNow);

        Assert.Equal(PhotoA, v2.Image);
        Assert.Same(v1.Enrichment, v2.Enrichment);
        Assert.Equal(EnrichmentStatus.Enriched, v2.EnrichmentStatus);
    }

    /// <summary>
    /// Issue 22, item 2: a reference now carries the photo's decode cost. A photo stored before it did (cost 0) and sent
    /// again with its cost is the same photo: its predictions stay, and the same version is Stale, not a Conflict.
    /// </summary>
    [Fact]
    public void A_photo_is_its_hash_whatever_decode_cost_its_reference_carries()
    {
        var v1 = EnrichedFrom(PhotoA);
        var withCost = PhotoA with { DecodePixels = DecodeCost.Pixels(60, 80, "image/jpeg", interlaced: false) };

        var v2 = ProductChange.Apply(v1, TestEvents.Product("p", 2) with { Image = withCost, Name = v1.Name }, DateTimeOffset.UtcNow);

        Assert.Equal(PhotoA, withCost);
        Assert.Same(v1.Enrichment, v2.Enrichment);
        Assert.Equal(EnrichmentStatus.Enriched, v2.EnrichmentStatus);
    }

    [Theory]
    [InlineData(4000, 6000, "image/jpeg", false, 375_000)] // a camera JPEG decodes scaled in its DCT
    [InlineData(4000, 6000, "image/jpeg", true, 48_000_000)] // progressive: gathered whole, then passed over again
    [InlineData(2000, 2000, "image/png", false, 4_000_000)]
    [InlineData(4900, 4900, "image/png", true, 48_020_000)] // Adam7
    [InlineData(0, 10, "image/png", false, 0)]
    public void A_photos_decode_cost_follows_its_format(int width, int height, string type, bool interlaced, long pixels) =>
        Assert.Equal(pixels, DecodeCost.Pixels(width, height, type, interlaced));

    [Fact]
    public void A_new_name_drops_the_predictions_because_a_model_reads_it()
    {
        var v1 = EnrichedFrom(PhotoA);

        var v2 = ProductChange.Apply(v1, TestEvents.Product("p", 2) with { Image = PhotoA, Name = v1.Name + " renamed" }, DateTimeOffset.UtcNow);

        Assert.Null(v2.Enrichment);
        Assert.Equal(EnrichmentStatus.Pending, v2.EnrichmentStatus);
    }

    [Fact]
    public void The_same_version_with_the_same_name_and_attributes_but_another_photo_is_other_content()
    {
        var stored = ProductChange.Apply(null, TestEvents.Product("p", 3) with { Image = PhotoA }, DateTimeOffset.UtcNow);

        Assert.True(ProductChange.SameContent(stored, TestEvents.Product("p", 3) with { Image = PhotoA }));
        // No photo in the event keeps the stored one: nothing changes.
        Assert.True(ProductChange.SameContent(stored, TestEvents.Product("p", 3)));
        Assert.False(ProductChange.SameContent(stored, TestEvents.Product("p", 3) with { Image = PhotoB }));
    }

    private static readonly ImageRef PhotoC = TestEvents.RefFor([0xFF, 0xD8, 0xFF, 0xC]);

    [Fact]
    public void Any_changed_removed_or_reordered_photo_drops_the_predictions_and_is_other_content()
    {
        var v1 = ProductChange.Apply(null, TestEvents.Product("p", 1) with { Image = PhotoA, MoreImages = [PhotoB] }, DateTimeOffset.UtcNow) with
        {
            Enrichment = new Abstractions.PredictedEnrichment { ModelVersion = "sha256:v1" },
            EnrichmentStatus = EnrichmentStatus.Enriched,
        };
        Assert.Equal([PhotoA, PhotoB], v1.ToView().Images);

        foreach (var photos in new[] { new[] { PhotoA, PhotoC }, [PhotoA], [PhotoB, PhotoA], [PhotoA, PhotoB, PhotoC] })
        {
            var change = TestEvents.Product("p", 2) with { Name = v1.Name, Image = photos[0], MoreImages = [.. photos.Skip(1)] };
            Assert.False(ProductChange.SameContent(v1, change with { Version = 1 }), string.Join(",", photos.Select(p => p.Sha256[..4])));

            var v2 = ProductChange.Apply(v1, change, DateTimeOffset.UtcNow);

            Assert.Equal(photos, v2.Images);
            Assert.Null(v2.Enrichment);
            Assert.Equal(EnrichmentStatus.Pending, v2.EnrichmentStatus);
        }
        // The same photos in the same order, or none at all, keep everything.
        var same = ProductChange.Apply(v1, TestEvents.Product("p", 2) with { Name = v1.Name, Image = PhotoA, MoreImages = [PhotoB] }, DateTimeOffset.UtcNow);
        var none = ProductChange.Apply(v1, TestEvents.Product("p", 2) with { Name = v1.Name }, DateTimeOffset.UtcNow);
        Assert.All([same, none], v2 => Assert.Equal((EnrichmentStatus.Enriched, 2), (v2.EnrichmentStatus, v2.Images.Count)));
    }
}
