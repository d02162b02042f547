using Enrichment.Abstractions;
using Enrichment.Models;
using Enrichment.TestSupport;

namespace Enrichment.Grains.Tests.Serving;

/// <summary>
/// A product whose photo changes, in a real cluster serving the bundled trained model (so two different photos
/// get visibly different predictions), with products in PostgreSQL so that the model silo can be stopped.
/// </summary>
[Trait("Category", "Postgres")]
public sealed class ImageChangeTests() : ServingClusterTest(silos: 2, acceleratorSilos: "Silo_1,Silo_2", durable: true)
{
    protected override string CreateBootstrapCheckpoint() => RepoPaths.DemoModel;

    [Fact]
    public async Task A_new_photo_drops_the_old_predictions_until_the_product_is_enriched_from_the_new_one()
    {
        var grains = Cluster.Client;
        var photoA = await StorePhotoAsync("Watches");
        var photoB = await StorePhotoAsync("Tshirts");
        var id = TestEvents.UniqueId("photo");
        var product = grains.GetGrain<IProductGrain>(id);

        await product.Apply(TestEvents.Product(id, 1) with { Image = photoA });
        var v1 = Assert.Single(await ModelPlacementAndBatchingTests.WaitForAsync(grains, [id], p => p.EnrichmentStatus == EnrichmentStatus.Enriched, TimeSpan.FromMinutes(2)));
        var fromA = await grains.GetGrain<IModelGrain>("any").Predict(photoA, v1.Name);
        AssertPredictedBy(fromA, v1.Enrichment!);

        // With no model silo up the product cannot be enriched again, so what the new event itself stored stays
        // observable for as long as the test needs, however fast the machine.
        await Cluster.StopSiloAsync(Cluster.Silos.Single(s => s.Name == "Silo_1"));
        await product.Apply(TestEvents.Product(id, 2) with { Image = photoB });

        var v2 = (await product.Get())!;
        Assert.Equal(photoB, v2.Image);
        Assert.Null(v2.Enrichment);
        Assert.Equal(EnrichmentStatus.Pending, v2.EnrichmentStatus);

        // TestingHost names the new silo after the count of running ones; either name declares an accelerator.
        var late = await Cluster.StartAdditionalSiloAsync();
        Assert.Contains(late.Name, new[] { "Silo_1", "Silo_2" });
        var reEnriched = Assert.Single(await ModelPlacementAndBatchingTests.WaitForAsync(grains, [id], p => p.EnrichmentStatus == EnrichmentStatus.Enriched, TimeSpan.FromMinutes(3)));
        var fromB = await grains.GetGrain<IModelGrain>("any").Predict(photoB, reEnriched.Name);
        Assert.True(fromA.Attributes[AttributeNames.Type].Value != fromB.Attributes[AttributeNames.Type].Value,
            $"the model should tell the two photos apart: both predicted {fromB.Attributes[AttributeNames.Type].Value}");
        AssertPredictedBy(fromB, reEnriched.Enrichment!);
        Assert.Equal(2, reEnriched.Version);
    }

    /// <summary>The first sample photo of a clothing type, stored in the image store.</summary>
    private async Task<ImageRef> StorePhotoAsync(string articleType)
    {
        var catalog = Path.Combine(Directory.GetParent(SampleImages.Folder)!.FullName, "styles.csv");
        var row = CatalogReader.Read(catalog, SampleImages.Folder).Rows.Where(r => r.ArticleType == articleType).MinBy(r => r.Id)!;
        var bytes = await File.ReadAllBytesAsync(CatalogReader.ImagePath(SampleImages.Folder, row.Id));
        return (await SampleImages.StoreAsync(Grains, "unused", bytes)).Image!;
    }

    private static void AssertPredictedBy(ModelResult expected, Abstractions.PredictedEnrichment actual)
    {
        Assert.Equal(ModelResultStatus.Ok, expected.Status);
        Assert.Equal(expected.ModelVersion, actual.ModelVersion);
        Assert.Equal(expected.Caption, actual.Caption);
        Assert.Equal(expected.Attributes.Keys.Order(), actual.Attributes.Keys.Order());
        foreach (var (name, predicted) in expected.Attributes)
        {
            Assert.Equal(predicted.Value, actual.Attributes[name].Value);
            // Same weights, same photo; only the batch it shared may differ in the last float bits.
            Assert.InRange(actual.Attributes[name].Confidence, predicted.Confidence - 1e-3f, predicted.Confidence + 1e-3f);
        }
    }
}
