using Enrichment.Abstractions;
using Enrichment.TestSupport;
using Orleans.Runtime;

namespace Enrichment.Grains.Tests.Serving;

/// <summary>
/// Thousands of products ingested while no silo has an accelerator, then two accelerator silos join at once
/// (the queue is the embedded default's, in memory).
/// </summary>
[Trait("Category", "Cluster")]
public sealed class EnrichmentBacklogTests() : ServingClusterTest(silos: 1, acceleratorSilos: "Silo_1,Silo_2")
{
    private const int Products = 2000;

    [Fact]
    public async Task A_backlog_costs_nothing_without_a_model_silo_then_joining_silos_publish_one_model_and_enrich_it_without_reads()
    {
        var grains = Cluster.Client;
        var primary = Cluster.Silos[0];
        using var primaryMetrics = new MeterProbe(primary);
        var paths = SampleImages.Paths(400);
        var ids = Enumerable.Range(0, Products).Select(i => $"backlog-{i:D5}").ToList();
        var events = await Task.WhenAll(paths.Select(async p => await SampleImages.StoreAsync(grains, "template", await File.ReadAllBytesAsync(p))));
        await Parallel.ForEachAsync(Enumerable.Range(0, Products), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, _) =>
        {
            var e = events[i % events.Length] with { ProductId = ids[i], EventId = ids[i] + "-v1" };
            Assert.Equal(ApplyOutcome.Applied, (await grains.GetGrain<IProductGrain>(ids[i]).Apply(e)).Outcome);
        });

        // Nothing about a pending product lives in memory: every product activation can be collected...
        await grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        var active = (await grains.GetGrain<IManagementGrain>(0).GetSimpleGrainStatistics())
            .Where(s => s.GrainType.Contains("ProductGrain")).Sum(s => s.ActivationCount);
        Assert.Equal(0, active);

        // ...and while no silo can run a model, the backlog costs nothing: no attempts, no log lines, depth on the gauge.
        var logsBefore = ServingCluster.LogsOf(primary).Total;
        var depthGauge = await primaryMetrics.GaugeAsync("enrichment.queue.depth", v => v >= Products, TimeSpan.FromSeconds(30));
        Assert.Equal(Products, depthGauge);
        // An observation window, not a race: nothing may happen in it, so a correct cluster passes on any machine
        // (a slow one only makes a planted consumer less likely to show).
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.Equal(Products, (await EnrichmentQueueProbe.UntilAsync(grains, s => s.Depth >= Products, TimeSpan.FromSeconds(30), "full")).Depth);
        Assert.Equal(0, primaryMetrics.Sum("enrichment.product.enrichments"));
        var idleLogs = ServingCluster.LogsOf(primary).Total - logsBefore;
        Assert.True(idleLogs < 20, $"{idleLogs} log lines while {Products} products waited");

        // Two accelerator silos join together: one of them publishes the first model, and together they enrich every product.
        var joined = new[] { await Cluster.StartAdditionalSiloAsync(), await Cluster.StartAdditionalSiloAsync() };
        await EnrichmentQueueProbe.DrainedAsync(grains, TimeSpan.FromMinutes(4));

        Assert.Single(await grains.GetGrain<IModelRegistryGrain>(0).List());
        Assert.Equal(1, joined.Sum(s => ServingCluster.LogsOf(s).Count("publishing bootstrap checkpoint")));
        Assert.Equal(Products, joined.Sum(s => ServingCluster.HostOf(s).Statistics?.Items ?? 0));

        var products = await Task.WhenAll(ids.Select(id => grains.GetGrain<IProductGrain>(id).Get()));
        Assert.All(products, p => Assert.Equal(EnrichmentStatus.Enriched, p!.EnrichmentStatus));
    }
}
