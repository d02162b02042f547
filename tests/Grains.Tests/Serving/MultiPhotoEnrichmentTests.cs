using Enrichment.Abstractions;
using Enrichment.Grains.Products;
using Enrichment.Models;
using Enrichment.TestSupport;
using SkiaSharp;

namespace Enrichment.Grains.Tests.Serving;

/// <summary>
/// A product with several photos, in a real cluster serving the bundled trained model: a real catalogue photo as the
/// primary and views derived from it (a mirror image, a crop) as more photos, as a shop shows front, side and detail.
/// </summary>
[Trait("Category", "Cluster")]
public sealed class MultiPhotoEnrichmentTests() : ServingClusterTest(silos: 2, acceleratorSilos: "Silo_1")
{
    protected override string CreateBootstrapCheckpoint() => RepoPaths.DemoModel;

    [Fact]
    public async Task Every_photo_is_predicted_and_pooled_and_changing_any_photo_re_enriches()
    {
        var watch = await File.ReadAllBytesAsync(PhotoOf("Watches"));
        var photos = new[] { await StoreAsync(watch), await StoreAsync(Mirrored(watch)), await StoreAsync(Cropped(watch)) };
        var id = TestEvents.UniqueId("gallery");
        var product = Grains.GetGrain<IProductGrain>(id);
        // Readiness first: the model is loaded once it answers (the demo model's load is slow on a busy machine).
        await Eventually.Get(() => Grains.GetGrain<IModelGrain>("any").Predict(photos[0], "a watch"),
            r => r.Status == ModelResultStatus.Ok, TimeSpan.FromMinutes(5), "the model silo to answer");

        await product.Apply(TestEvents.Product(id, 1) with { Image = photos[0], MoreImages = [photos[1], photos[2]] });

        var v1 = Assert.Single(await ModelPlacementAndBatchingTests.WaitForAsync(Grains, [id], p => p.EnrichmentStatus == EnrichmentStatus.Enriched, TimeSpan.FromMinutes(2)));
        Assert.Equal(photos, v1.Images);
        await AssertPooledFromAsync(photos, v1);

        // Only the last photo changes (the detail shot becomes a T-shirt): the product is enriched again from all three.
        var shirt = await StoreAsync(await File.ReadAllBytesAsync(PhotoOf("Tshirts")));
        await product.Apply(TestEvents.Product(id, 2) with { Image = photos[0], MoreImages = [photos[1], shirt] });
        var v2 = Assert.Single(await ModelPlacementAndBatchingTests.WaitForAsync(Grains, [id], p => p.Version == 2 && p.EnrichmentStatus == EnrichmentStatus.Enriched, TimeSpan.FromMinutes(2)));
        await AssertPooledFromAsync([photos[0], photos[1], shirt], v2);
    }

    /// <summary>The stored values are the pool of what the model answers for each photo on its own.</summary>
    private async Task AssertPooledFromAsync(IReadOnlyList<ImageRef> photos, ProductView product)
    {
        var model = Grains.GetGrain<IModelGrain>("any");
        var each = new List<ModelResult>();
        foreach (var photo in photos)
        {
            each.Add(await model.Predict(photo, product.Name));
        }
        var expected = PhotoPooling.Pool(each).Result;
        var enrichment = product.Enrichment!;
        Assert.Equal(photos.Count, enrichment.Photos);
        Assert.Equal(each[0].Caption, enrichment.Caption);
        foreach (var (name, predicted) in expected.Attributes)
        {
            var stored = enrichment.Attributes[name];
            Assert.Equal(predicted.Value, stored.Value);
            Assert.Equal(predicted.Photo, stored.Photo);
            // Same weights, same photos; only the batches they shared may differ in the last float bits.
            Assert.InRange(stored.Confidence, predicted.Confidence - 1e-3f, predicted.Confidence + 1e-3f);
        }
    }

    private async Task<ImageRef> StoreAsync(byte[] bytes) => (await SampleImages.StoreAsync(Grains, "unused", bytes)).Image!;

    private static string PhotoOf(string articleType)
    {
        var catalog = Path.Combine(Directory.GetParent(SampleImages.Folder)!.FullName, "styles.csv");
        var row = CatalogReader.Read(catalog, SampleImages.Folder).Rows.Where(r => r.ArticleType == articleType).MinBy(r => r.Id)!;
        return CatalogReader.ImagePath(SampleImages.Folder, row.Id);
    }

    private static byte[] Mirrored(byte[] jpeg) => Derive(jpeg, (canvas, photo) =>
    {
        canvas.Scale(-1, 1, photo.Width / 2f, 0);
        canvas.DrawBitmap(photo, 0, 0);
    }, bitmap => (bitmap.Width, bitmap.Height));

    /// <summary>The middle 70 % of the photo, as a closer view.</summary>
    private static byte[] Cropped(byte[] jpeg) => Derive(jpeg, (canvas, photo) =>
    {
        var crop = SKRectI.Create(photo.Width * 15 / 100, photo.Height * 15 / 100, photo.Width * 70 / 100, photo.Height * 70 / 100);
        canvas.DrawBitmap(photo, crop, SKRect.Create(crop.Width, crop.Height));
    }, bitmap => (bitmap.Width * 70 / 100, bitmap.Height * 70 / 100));

    private static byte[] Derive(byte[] jpeg, Action<SKCanvas, SKBitmap> draw, Func<SKBitmap, (int Width, int Height)> size)
    {
        using var photo = SKBitmap.Decode(jpeg);
        var (width, height) = size(photo);
        using var derived = new SKBitmap(width, height);
        using (var canvas = new SKCanvas(derived))
        {
            draw(canvas, photo);
        }
        using var data = derived.Encode(SKEncodedImageFormat.Jpeg, 90);
        return data.ToArray();
    }
}
