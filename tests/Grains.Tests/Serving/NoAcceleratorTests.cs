using Enrichment.Abstractions;

using Enrichment.TestSupport;

namespace Enrichment.Grains.Tests.Serving;

public sealed class NoAcceleratorTests() : ServingClusterTest(silos: 2, acceleratorSilos: "Secondary_2")
{
    [Fact]
    public async Task Products_wait_with_a_clear_status_until_an_accelerator_silo_joins_then_all_are_enriched()
    {
        var grains = Cluster.GrainFactory;
        var paths = SampleImages.Paths(20);
        var ids = paths.Select(_ => TestEvents.UniqueId("wait")).ToList();
        for (var i = 0; i < ids.Count; i++)
        {
            await grains.GetGrain<IProductGrain>(ids[i]).Apply(await SampleImages.StoreAsync(grains, ids[i], await File.ReadAllBytesAsync(paths[i])));
        }

        var waiting = await ModelPlacementAndBatchingTests.WaitForAsync(grains, ids, p => p.EnrichmentNote is not null, TimeSpan.FromSeconds(30));
        Assert.All(waiting, p =>
        {
            Assert.Equal(EnrichmentStatus.Pending, p.EnrichmentStatus);
            Assert.True(p.EnrichmentNote!.Contains("no model silo"), p.EnrichmentNote);
        });

        var late = await Cluster.StartAdditionalSiloAsync();
        Assert.Equal("Secondary_2", late.Name);

        var enriched = await ModelPlacementAndBatchingTests.WaitForAsync(grains, ids, p => p.EnrichmentStatus == EnrichmentStatus.Enriched, TimeSpan.FromMinutes(2));
        Assert.Equal(ids.Count, enriched.Count);
        Assert.Equal(enriched.Count, ServingCluster.HostOf(late).Statistics!.Items);
    }
}
