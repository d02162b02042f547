using Enrichment.Abstractions;
using Enrichment.Grains.Serving;
using Enrichment.Models;
using Enrichment.TestSupport;

namespace Enrichment.Grains.Tests.Serving;

/// <summary>
/// Auto-apply end to end on a real cluster with a real (tiny) network whose checkpoint carries a colour threshold for
/// photo + name predictions, placed between the confidences it really gives the test's products: values the
/// catalogue lacks become auto-applied above it and suggestions below; catalogue values are never overwritten; a
/// review beats an auto-applied value; a new version's predictions are judged by its own thresholds.
/// </summary>
[Trait("Category", "Cluster")]
public sealed class AutoApplyTests() : ServingClusterTest(silos: 2, acceleratorSilos: "Silo_1")
{
    private const int Products = 16;
    private double _threshold;
    private readonly Dictionary<string, (byte[] Photo, string Name)> _inputs = [];

    protected override string? CreateBootstrapCheckpoint()
    {
        var dir = TinyModel.SaveCheckpoint(Path.Combine(WorkDir, "v1"), seed: 1);
        var names = CatalogReader.ReadNames(Path.Combine(RepoPaths.Root, "data", "sample", "styles.csv"));
        using var model = EnrichmentModel.Load(dir, "cpu");
        var confidences = new List<float>();
        foreach (var path in SampleImages.Paths(Products))
        {
            var photo = File.ReadAllBytes(path);
            var name = names[int.Parse(Path.GetFileNameWithoutExtension(path))];
            _inputs[Path.GetFileNameWithoutExtension(path)] = (photo, name);
            confidences.Add(model.Predict([new ModelInput(ImageDecoder.Decode(photo, model.Preprocessing), name)])[0].Colour.Confidence);
        }
        // The middle of the widest gap around the median: far from every confidence, so batching's last-bit
        // differences cannot move a product across it.
        var sorted = confidences.Order().ToArray();
        var gap = Enumerable.Range(Products / 4, Products / 2).MaxBy(i => sorted[i] - sorted[i - 1]);
        _threshold = (sorted[gap] + sorted[gap - 1]) / 2.0;
        Checkpoint.UpdateManifest(dir, m => m with
        {
            AutoApply = [new RecordedThreshold("photo+name", "colour", new ThresholdChoice(_threshold, 0.5, 100, 0.98, 0.971, 0.97, 50, 200), "test rows")],
        });
        return dir;
    }

    [Fact]
    public async Task Confident_predictions_fill_missing_values_the_rest_are_suggestions_and_the_catalogue_is_never_overwritten()
    {
        var ids = new Dictionary<string, string>();
        var withCatalogueColour = new HashSet<string>();
        var i = 0;
        foreach (var (file, (photo, name)) in _inputs)
        {
            var id = TestEvents.UniqueId("auto");
            ids[id] = file;
            var stored = await SampleImages.StoreAsync(Grains, id, photo);
            // Every fourth product has a catalogue colour no model class holds, so any prediction disagrees with it.
            var attributes = new Dictionary<string, string> { [AttributeNames.Type] = "Tshirts" };
            if (i++ % 4 == 0)
            {
                attributes[AttributeNames.Colour] = "Mauve";
                withCatalogueColour.Add(id);
            }
            var result = await Grains.GetGrain<IProductGrain>(id).Apply(stored with { Name = name, Attributes = attributes });
            Assert.Equal(ApplyOutcome.Applied, result.Outcome);
        }
        var products = await EnrichedAsync(ids.Keys);

        var auto = new List<string>();
        foreach (var p in products)
        {
            var colour = p.Enrichment!.Attributes[AttributeNames.Colour];
            Assert.Equal("photo+name", colour.Input);
            Assert.Equal(_threshold, colour.AutoApplyThreshold!.Value, precision: 9);
            Assert.Equal(0.98, colour.MeasuredPrecision);
            if (withCatalogueColour.Contains(p.ProductId))
            {
                Assert.Equal(AttributeProvenance.Catalogue, p.Provenance[AttributeNames.Colour]);
                Assert.Equal("Mauve", p.KnownAttributes[AttributeNames.Colour]);
                Assert.Equal("Mauve", p.AppliedAttributes()[AttributeNames.Colour]);
                continue;
            }
            var expected = colour.Value == ProductView.OtherClass ? (AttributeProvenance?)null
                : colour.Confidence >= _threshold ? AttributeProvenance.Auto : AttributeProvenance.Suggested;
            Assert.Equal(expected, p.Provenance.TryGetValue(AttributeNames.Colour, out var actual) ? actual : null);
            Assert.Equal(expected == AttributeProvenance.Auto, p.AppliedAttributes().ContainsKey(AttributeNames.Colour));
            if (expected == AttributeProvenance.Auto) auto.Add(p.ProductId);
        }
        Assert.NotEmpty(auto);
        Assert.Contains(products, p => p.Provenance.GetValueOrDefault(AttributeNames.Colour) == AttributeProvenance.Suggested);
        // The catalogue's value stood even where the model was confident enough to auto-apply.
        Assert.Contains(products, p => withCatalogueColour.Contains(p.ProductId) && p.Enrichment!.Attributes[AttributeNames.Colour].Confidence >= _threshold);
        Assert.Equal(ProvenanceOf(products, "Catalogue"), withCatalogueColour.Order().ToList());

        // Search finds exactly the auto-applied colours, and counts them in the provenance facet.
        var page = await Grains.GetGrain<ICatalogSearchGrain>(0).Search(new CatalogQuery { Provenance = ["colour:auto"], Limit = 200, IncludeFacets = true });
        Assert.Equal(auto.Order(StringComparer.Ordinal), page.Items.Select(p => p.ProductId).Where(ids.ContainsKey).Order(StringComparer.Ordinal));
        Assert.Contains(page.Facets!.Single(f => f.Attribute == ProvenanceFacet.Name).Values, v => v.Value == "colour:auto" && v.Count == page.Total);

        // A review beats an auto-applied value.
        var reviewed = await Grains.GetGrain<IProductGrain>(auto[0]).Review(new AttributeReviewRequest(AttributeNames.Colour, "Navy Blue", "tester", null));
        Assert.Null(reviewed.Refused);
        Assert.Equal(AttributeProvenance.Reviewed, reviewed.Product!.Provenance[AttributeNames.Colour]);
        Assert.Equal("Navy Blue", reviewed.Product.AppliedAttributes()[AttributeNames.Colour]);

        // A new version without thresholds: re-enrichment judges every value by it, so nothing stays auto-applied.
        var v2 = await new ModelWeightsStore(Grains).UploadAsync(TinyModel.SaveCheckpoint(Path.Combine(WorkDir, "v2"), seed: 2), "test");
        await Grains.GetGrain<IModelRegistryGrain>(0).Register(v2);
        Assert.True((await Grains.GetGrain<IModelDeploymentGrain>(0).Deploy(new DeploymentRequest(v2.VersionId, "test"))).Deployed);
        foreach (var id in ids.Keys) await Grains.GetGrain<IProductGrain>(id).Enrich(force: true);
        var after = await EnrichedAsync(ids.Keys, v2.VersionId);
        Assert.DoesNotContain(after, p => p.Provenance.ContainsValue(AttributeProvenance.Auto));
        Assert.Equal(AttributeProvenance.Reviewed, after.Single(p => p.ProductId == auto[0]).Provenance[AttributeNames.Colour]);
    }

    private static List<string> ProvenanceOf(IEnumerable<ProductView> products, string provenance) =>
        products.Where(p => p.Provenance.TryGetValue(AttributeNames.Colour, out var v) && v.ToString() == provenance)
            .Select(p => p.ProductId).Order().ToList();

    private Task<List<ProductView>> EnrichedAsync(IEnumerable<string> ids, string? version = null) =>
        Eventually.Get(
            async () => (await Task.WhenAll(ids.Select(id => Grains.GetGrain<IProductGrain>(id).Get()))).Select(p => p!).ToList(),
            products => products.All(p => p.EnrichmentStatus == EnrichmentStatus.Enriched && (version is null || p.Enrichment!.ModelVersion == version)),
            TimeSpan.FromMinutes(2), $"every product enriched{(version is null ? "" : " by " + version)}",
            describe: products => $"{products.Count(p => p.EnrichmentStatus != EnrichmentStatus.Enriched)} of {products.Count} not enriched");
}
