using Enrichment.Abstractions;
using Enrichment.Grains.Serving;
using Enrichment.TestSupport;

namespace Enrichment.Grains.Tests.Serving;

/// <summary>
/// Issue 21: a deployment or rollback brings the catalogue onto the served version by re-enriching the products whose
/// predictions came from other versions, a bounded page at a time, and the per-version counts come from the read model.
/// </summary>
[Trait("Category", "Cluster")]
public sealed class RollbackReEnrichmentTests() : ServingClusterTest(silos: 2, acceleratorSilos: "Silo_1")
{
    private const int PageSize = 7;
    private const int MaxQueueDepth = 5;

    protected override IReadOnlyDictionary<string, string>? Settings => new Dictionary<string, string>
    {
        ["Enrichment:ReEnrichment:PageSize"] = PageSize.ToString(),
        ["Enrichment:ReEnrichment:MaxQueueDepth"] = MaxQueueDepth.ToString(),
        ["Enrichment:ReEnrichment:QueueWait"] = "00:00:00.200",
    };

    [Fact]
    public async Task Deploy_and_rollback_re_enrich_every_product_of_other_versions_in_bounded_pages_until_none_is_left()
    {
        var grains = Cluster.Client;
        var ids = new List<string>();
        foreach (var (path, i) in SampleImages.Paths(40).Select((p, i) => (p, i)))
        {
            var id = $"rollback-{i:D3}";
            var e = await SampleImages.StoreAsync(grains, id, await File.ReadAllBytesAsync(path));
            Assert.Equal(ApplyOutcome.Applied, (await grains.GetGrain<IProductGrain>(id).Apply(e)).Outcome);
            ids.Add(id);
        }
        var enriched = await ModelPlacementAndBatchingTests.WaitForAsync(grains, ids, p => p.EnrichmentStatus == EnrichmentStatus.Enriched, TimeSpan.FromMinutes(2));
        var v1 = enriched[0].Enrichment!.ModelVersion;
        var search = grains.GetGrain<ICatalogSearchGrain>(0);
        Assert.Equal([new ModelVersionCount(v1, ids.Count)], await search.CountByModelVersion());

        var v2 = await new ModelWeightsStore(grains).UploadAsync(TinyModel.SaveCheckpoint(Path.Combine(WorkDir, "v2"), seed: 2), "test");
        await grains.GetGrain<IModelRegistryGrain>(0).Register(v2);
        var deployment = grains.GetGrain<IModelDeploymentGrain>(0);
        Assert.True((await deployment.Deploy(new DeploymentRequest(v2.VersionId, "test"))).Deployed);
        // A deployment alone leaves the catalogue as it was: every product still carries v1's values.
        Assert.Equal([new ModelVersionCount(v1, ids.Count)], await search.CountByModelVersion());

        await MoveCatalogueAsync(grains, v2.VersionId, ids, from: v1);

        // The rollback: v1 again, and the products v2 enriched move back to it.
        Assert.True((await deployment.Deploy(new DeploymentRequest(v1, "test", "v2 mislabels shoes"))).Deployed);
        await MoveCatalogueAsync(grains, v1, ids, from: v2.VersionId);
    }

    /// <summary>
    /// Re-enriches towards <paramref name="target"/> and waits until no product carries another version, watching the
    /// queue stay within its bound (the job queues a page only while the queue holds fewer than the bound).
    /// </summary>
    private static async Task MoveCatalogueAsync(IGrainFactory grains, string target, IReadOnlyList<string> ids, string from)
    {
        var job = grains.GetGrain<IReEnrichmentGrain>(0);
        var started = await job.Start(new ReEnrichmentRequest(target, "test"));
        Assert.Equal(ReEnrichmentState.Running, started.State);
        Assert.Equal(ids.Count, started.Total);

        var deepest = 0L;
        var seen = new System.Collections.Concurrent.ConcurrentQueue<string>();
        using var stop = new CancellationTokenSource();
        var watch = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var stats = await grains.GetGrain<IEnrichmentQueueStatsGrain>(0).Get();
                deepest = Math.Max(deepest, stats.Depth);
                seen.Enqueue($"{stats.Depth}@{stats.MeasuredAt:ss.fff}/{(await job.Status())?.Requested}");
                await Task.Delay(100);
            }
        });
        var counts = await Eventually.Get(() => grains.GetGrain<ICatalogSearchGrain>(0).CountByModelVersion(),
            c => c.Length == 1 && c[0].VersionId == target, TimeSpan.FromMinutes(3), $"every product to carry {target}'s predictions",
            TimeSpan.FromMilliseconds(250), c => string.Join(", ", c.Select(v => $"{v.VersionId}: {v.Products}")));
        await stop.CancelAsync();
        await watch;
        Assert.Equal(ids.Count, counts[0].Products);

        var finished = await Eventually.Get(() => job.Status(), s => s!.State != ReEnrichmentState.Running, TimeSpan.FromMinutes(1),
            "the re-enrichment to finish", TimeSpan.FromMilliseconds(200));
        Assert.Equal(ReEnrichmentState.Completed, finished!.State);
        Assert.Equal(ids.Count, finished.Requested);
        Assert.True(deepest <= MaxQueueDepth - 1 + PageSize, $"queue depth {deepest} over the bound: {string.Join(" ", seen)}");
        var products = await Task.WhenAll(ids.Select(id => grains.GetGrain<IProductGrain>(id).Get()));
        Assert.All(products, p => Assert.Equal(target, p!.Enrichment!.ModelVersion));
        Assert.DoesNotContain(products, p => p!.Enrichment!.ModelVersion == from);
    }
}
