using Enrichment.Abstractions;
using Enrichment.Grains.Serving;
using Enrichment.Models;
using Enrichment.TestSupport;

namespace Enrichment.Grains.Tests.Serving;

/// <summary>
/// Auto-apply end to end on a real cluster with a real (tiny) network whose checkpoint carries thresholds for photo +
/// name colour predictions of 1 (nothing reaches it: every colour is a suggestion), then, measured on more rows and
/// offered to the registry while the version is served, 0 (every colour the catalogue lacks is applied). Thresholds
/// at the ends keep the test independent of an untrained network's confidences and of last-bit differences between
/// batches; the comparison at a threshold itself is pinned by AutoApplyRules' and the read models' tests. Values the catalogue lacks become auto-applied or suggestions; catalogue
/// values are never overwritten; a review beats an auto-applied value; a new version is judged by its own thresholds.
/// </summary>
[Trait("Category", "Cluster")]
public sealed class AutoApplyTests() : ServingClusterTest(silos: 2, acceleratorSilos: "Silo_1")
{
    private const int Products = 16;
    private readonly Dictionary<string, (byte[] Photo, string Name)> _inputs = [];

    protected override string? CreateBootstrapCheckpoint()
    {
        var dir = TinyModel.SaveCheckpoint(Path.Combine(WorkDir, "v1"), seed: 1);
        var names = CatalogReader.ReadNames(Path.Combine(RepoPaths.Root, "data", "sample", "styles.csv"));
        foreach (var path in SampleImages.Paths(Products))
        {
            _inputs[Path.GetFileNameWithoutExtension(path)] = (File.ReadAllBytes(path), names[int.Parse(Path.GetFileNameWithoutExtension(path))]);
        }
        static RecordedThreshold At(string attribute, double threshold) =>
            new("photo+name", attribute, new ThresholdChoice(threshold, 0.5, 100, 0.98, 0.971, 0.97, 50, 200), "checkpoint rows");
        Checkpoint.UpdateManifest(dir, m => m with { AutoApply = [At("colour", 1)] });
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
            var attributes = new Dictionary<string, string> { [AttributeNames.Category] = "Apparel" };
            if (i++ % 4 == 0)
            {
                attributes[AttributeNames.Colour] = "Mauve";
                withCatalogueColour.Add(id);
            }
            var result = await Grains.GetGrain<IProductGrain>(id).Apply(stored with { Name = name, Attributes = attributes });
            Assert.Equal(ApplyOutcome.Applied, result.Outcome);
        }
        var suggested = await EnrichedAsync(ids.Keys);
        Assert.All(suggested, p => Assert.Equal(1, p.Enrichment!.Attributes[AttributeNames.Colour].AutoApplyThreshold));
        Assert.DoesNotContain(suggested, p => p.Provenance.ContainsValue(AttributeProvenance.Auto));
        Assert.Contains(suggested, p => p.Provenance.GetValueOrDefault(AttributeNames.Colour) == AttributeProvenance.Suggested);

        // The version's thresholds measured again on more rows: the serving silo takes them on its next reconcile,
        // and a re-enrichment judges every colour by them.
        var version = (await Grains.GetGrain<IModelRegistryGrain>(0).GetCurrent())!;
        Assert.True(await Grains.GetGrain<IModelRegistryGrain>(0).OfferAutoApply(version.VersionId,
        [
            new AutoApplyThreshold { Attribute = "colour", Input = "photo+name", Threshold = 0, Coverage = 1, Precision = 0.98, PrecisionLowerBound = 0.975, TargetPrecision = 0.97, MinRows = 50, Rows = 1000 },
        ]));
        var products = await Eventually.Get(async () =>
            {
                foreach (var id in ids.Keys) await Grains.GetGrain<IProductGrain>(id).Enrich(force: true);
                return await EnrichedAsync(ids.Keys);
            },
            enriched => enriched.All(p => p.Enrichment!.Attributes[AttributeNames.Colour].AutoApplyThreshold == 0),
            TimeSpan.FromMinutes(2), "re-enriched predictions carrying the version's new colour threshold");

        var auto = new List<string>();
        foreach (var p in products)
        {
            var colour = p.Enrichment!.Attributes[AttributeNames.Colour];
            Assert.Equal("photo+name", colour.Input);
            Assert.Equal(0, colour.AutoApplyThreshold);
            Assert.Equal(0.98, colour.MeasuredPrecision);
            Assert.Null(p.Enrichment.Attributes[AttributeNames.Brand].AutoApplyThreshold);
            if (withCatalogueColour.Contains(p.ProductId))
            {
                Assert.Equal(AttributeProvenance.Catalogue, p.Provenance[AttributeNames.Colour]);
                Assert.Equal("Mauve", p.KnownAttributes[AttributeNames.Colour]);
                Assert.Equal("Mauve", p.AppliedAttributes()[AttributeNames.Colour]);
                continue;
            }
            var expected = colour.Value == ProductView.OtherClass ? (AttributeProvenance?)null : AttributeProvenance.Auto;
            Assert.Equal(expected, p.Provenance.TryGetValue(AttributeNames.Colour, out var actual) ? actual : null);
            Assert.Equal(expected == AttributeProvenance.Auto, p.AppliedAttributes().ContainsKey(AttributeNames.Colour));
            if (expected == AttributeProvenance.Auto) auto.Add(p.ProductId);
        }
        Assert.NotEmpty(auto);
        Assert.Equal(ProvenanceOf(products, "Catalogue"), withCatalogueColour.Order().ToList());

        // Search finds exactly the auto-applied colours, and counts them in the provenance facet.
        var page = await Grains.GetGrain<ICatalogSearchGrain>(0).Search(new CatalogQuery { Provenance = ["colour:auto"], Limit = 200, IncludeFacets = true });
        Assert.Equal(auto.Order(StringComparer.Ordinal), page.Items.Select(p => p.ProductId).Where(ids.ContainsKey).Order(StringComparer.Ordinal));
        Assert.Contains(page.Facets!.Single(f => f.Attribute == ProvenanceFacet.Name).Values, v => v.Value == "colour:auto" && v.Count == page.Total);

        // A review beats an auto-applied value.
        var reviewed = await Grains.GetGrain<IProductGrain>(auto[0]).Review(new AttributeReviewRequest(AttributeNames.Colour, "Navy Blue", "tester", null, NewValue: true));
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
