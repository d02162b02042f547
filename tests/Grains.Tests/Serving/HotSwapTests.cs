using System.Collections.Concurrent;
using Enrichment.Abstractions;
using Enrichment.Grains.Serving;

using Enrichment.TestSupport;

namespace Enrichment.Grains.Tests.Serving;

/// <summary>Zero-downtime swap and rollback across a real cluster with two model silos, under continuous load.</summary>
[Trait("Category", "Cluster")]
public sealed class HotSwapTests() : ServingClusterTest(silos: 3, acceleratorSilos: "Silo_1,Silo_2,Silo_3")
{
    [Fact]
    public async Task Swap_under_load_drops_nothing_reaches_every_silo_and_a_late_silo_and_rolls_back()
    {
        var grains = Cluster.Client;
        var images = await Task.WhenAll(SampleImages.Paths(40).Select(async path =>
            (await SampleImages.StoreAsync(grains, "unused", await File.ReadAllBytesAsync(path))).Image!));
        var first = await grains.GetGrain<IModelGrain>("any").Predict(images[0]);
        var v1 = first.ModelVersion!;
        var v2Info = await new ModelWeightsStore(grains).UploadAsync(TinyModel.SaveCheckpoint(Path.Combine(WorkDir, "v2"), seed: 2), "test");
        await grains.GetGrain<IModelRegistryGrain>(0).Register(v2Info);
        Assert.NotEqual(v1, v2Info.VersionId);

        // Continuous load from 16 callers over all model slots, plus products being ingested meanwhile.
        var results = new ConcurrentQueue<(DateTime SentAt, ModelResult? Result, Exception? Error)>();
        using var stop = new CancellationTokenSource();
        var load = Enumerable.Range(0, 16).Select(worker => Task.Run(async () =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var sentAt = DateTime.UtcNow;
                try
                {
                    var r = await grains.GetGrain<IModelGrain>($"slot-{(worker + i) % 8}").Predict(images[(worker * 7 + i) % images.Length]);
                    results.Enqueue((sentAt, r, null));
                }
                catch (Exception ex)
                {
                    results.Enqueue((sentAt, null, ex));
                }
            }
        })).ToList();
        var productIds = Enumerable.Range(0, 60).Select(_ => TestEvents.UniqueId("swap")).ToList();
        var ingest = Task.Run(async () =>
        {
            foreach (var (id, i) in productIds.Select((id, i) => (id, i)))
            {
                await grains.GetGrain<IProductGrain>(id).Apply(TestEvents.Product(id, 1) with { Image = images[i % images.Length] });
                await Task.Delay(20);
            }
        });

        // Load on both sides of the swap, counted rather than timed: a busy machine answers fewer requests per second.
        await Eventually.True(() => results.Count >= 200, TimeSpan.FromMinutes(2), "200 answers before the swap");
        var report = (await grains.GetGrain<IModelDeploymentGrain>(0).Deploy(new DeploymentRequest(v2Info.VersionId, "test"))).Silos;
        var deployedAt = DateTime.UtcNow;
        await Eventually.True(() => results.Count(r => r.SentAt > deployedAt) >= 200, TimeSpan.FromMinutes(2), "200 answers to requests sent after the swap");
        await ingest;
        await stop.CancelAsync();
        await Task.WhenAll(load);

        var all = results.ToList();
        Assert.Empty(all.Where(r => r.Error is not null).Select(r => r.Error!.Message));
        Assert.All(all, r => Assert.Equal(ModelResultStatus.Ok, r.Result!.Status));
        Assert.Equal(new[] { v1, v2Info.VersionId }.Order(), all.Select(r => r.Result!.ModelVersion!).Distinct().Order());
        // Requests sent after the deployment returned queue behind the swap, so they all see the new version.
        Assert.All(all.Where(r => r.SentAt > deployedAt), r => Assert.Equal(v2Info.VersionId, r.Result!.ModelVersion));

        var models = report.Where(s => s.HasAccelerator).ToList();
        Assert.Equal(2, models.Count);
        Assert.All(models, s => Assert.Equal(v2Info.VersionId, s.ServedVersion));
        Assert.All(report.Where(s => !s.HasAccelerator), s => Assert.Null(s.ServedVersion));

        var products = await ModelPlacementAndBatchingTests.WaitForAsync(grains, productIds, p => p.EnrichmentStatus == EnrichmentStatus.Enriched, TimeSpan.FromMinutes(1));
        Assert.All(products, p => Assert.Contains(p.Enrichment!.ModelVersion, new[] { v1, v2Info.VersionId }));

        // A model silo that joins after the swap pulls the current version by itself.
        var late = await Cluster.StartAdditionalSiloAsync();
        await Eventually.True(async () => (await grains.GetGrain<IModelDeploymentGrain>(0).Status())
            .Any(s => s.Silo == late.SiloAddress.ToString() && s.ServedVersion == v2Info.VersionId), TimeSpan.FromSeconds(60),
            "the late silo to serve the current version", TimeSpan.FromMilliseconds(250));

        // Rollback is a deployment of the older version.
        var rollback = (await grains.GetGrain<IModelDeploymentGrain>(0).Deploy(new DeploymentRequest(v1, "test", "roll back to v1"))).Silos;
        Assert.Equal(3, rollback.Count(s => s.HasAccelerator && s.ServedVersion == v1));
        for (var slot = 0; slot < 8; slot++)
        {
            Assert.Equal(v1, (await grains.GetGrain<IModelGrain>($"slot-{slot}").Predict(images[slot])).ModelVersion);
        }
        Assert.Equal(v1, (await grains.GetGrain<IModelRegistryGrain>(0).GetCurrent())!.VersionId);
    }
}
