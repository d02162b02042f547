using Enrichment.Abstractions;
using Enrichment.Grains.Serving;
using Enrichment.TestSupport;
using Orleans.Runtime;

namespace Enrichment.Grains.Tests.Serving;

/// <summary>Two model silos sharing the queue on PostgreSQL; one is killed mid-ingest while a deployment runs.</summary>
[Trait("Category", "Postgres")]
public sealed class ModelSiloFailureTests() : ServingClusterTest(silos: 3, acceleratorSilos: "Silo_1,Silo_2", durable: true)
{
    private static readonly TimeSpan SwapTimeout = TimeSpan.FromSeconds(10);

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        // A dead silo's claims come back after the lease; short here so the test does not wait minutes.
        ["Enrichment:Queue:Lease"] = "00:00:05",
        ["Enrichment:Deployment:SwapTimeout"] = SwapTimeout.ToString(),
    };

    /// <summary>No model at start: the test deploys v1 itself, so both model silos load it within one call.</summary>
    protected override string? CreateBootstrapCheckpoint() => null;

    [Fact]
    public async Task A_model_silo_killed_during_ingest_and_a_deployment_strands_no_product_and_the_deployment_still_answers()
    {
        var grains = Cluster.Client;
        var weights = new ModelWeightsStore(grains);
        var v1 = await weights.UploadAsync(TinyModel.SaveCheckpoint(Path.Combine(WorkDir, "v1"), seed: 1), "test");
        var v2 = await weights.UploadAsync(TinyModel.SaveCheckpoint(Path.Combine(WorkDir, "v2"), seed: 2), "test");
        await grains.GetGrain<IModelRegistryGrain>(0).Register(v1);
        await grains.GetGrain<IModelRegistryGrain>(0).Register(v2);

        var templates = await Task.WhenAll(SampleImages.Paths(400).Select(async p => await SampleImages.StoreAsync(grains, "template", await File.ReadAllBytesAsync(p))));
        var ids = Enumerable.Range(0, 1500).Select(i => $"kill-{i:D5}").ToList();
        var half = ids.Count / 2;
        var secondHalf = new TaskCompletionSource();
        var ingest = Parallel.ForEachAsync(Enumerable.Range(0, ids.Count), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, _) =>
        {
            if (i >= half)
            {
                await secondHalf.Task;
            }
            await ApplyWithRetriesAsync(grains, templates[i % templates.Length] with { ProductId = ids[i], EventId = ids[i] + "-v1" });
        });

        // Half the catalogue waits; one deployment loads v1 on both model silos at once, and both take work from the queue.
        await EnrichmentQueueProbe.UntilAsync(grains, s => s.Depth >= half, TimeSpan.FromMinutes(2), $"{half} deep");
        await grains.GetGrain<IModelDeploymentGrain>(0).Deploy(new DeploymentRequest(v1.VersionId, "test"));
        // The model silo to kill is one that does not host the deployment grain: the call under test is the fan-out's
        // bound, not the caller's response timeout for a grain that dies with its silo.
        var deploymentHome = await grains.GetGrain<IManagementGrain>(0).GetActivationAddress(grains.GetGrain<IModelDeploymentGrain>(0));
        var modelSilos = Cluster.Silos.Where(s => s.Name is "Silo_1" or "Silo_2").ToList();
        var doomed = modelSilos.First(s => !s.SiloAddress.Equals(deploymentHome));
        var survivor = modelSilos.Single(s => s != doomed);
        // The deployment swaps both silos; one that lost a race (say with its own reconcile) converges right after.
        await EventuallyAsync(() => modelSilos.All(s => ServingCluster.HostOf(s).CurrentVersion == v1.VersionId),
            TimeSpan.FromMinutes(1), "both model silos serving v1");
        await EventuallyAsync(() => ServingCluster.HostOf(doomed).Statistics?.Items > 0 && ServingCluster.HostOf(survivor).Statistics?.Items > 0,
            TimeSpan.FromMinutes(1), "both model silos serving");

        // The second half arrives while one model silo dies holding claims and v2 is being deployed.
        secondHalf.SetResult();
        var kill = Cluster.KillSiloAsync(doomed);
        // That the deployment does not wait for a silo that cannot answer is DeploymentBoundTests' (with a silo held,
        // not timed); here it has to answer at all, with one model silo gone mid-call.
        await DeployAsync(grains, v2.VersionId);
        await kill;
        // The survivor serves v2 at once, or (if the weights' chunks lived on the dead silo) once it reconciles.
        await EventuallyAsync(async () => (await grains.GetGrain<IModelDeploymentGrain>(0).Status())
            .Any(s => s.Silo == survivor.SiloAddress.ToString() && s.ServedVersion == v2.VersionId), TimeSpan.FromMinutes(1), "survivor serving v2");

        await ingest;
        // Every product ends enriched with nothing but reads from the test. Reads, not one snapshot: while membership
        // settles after a kill, a call that outlived its caller can leave an activation with older state for a while
        // (and queue its product again); what matters is that the cluster converges on enriched products.
        ProductView?[] products = [];
        await EventuallyAsync(async () =>
        {
            // Idle activations go, so a read loads what is stored rather than what an activation last remembered.
            await grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
            products = await Task.WhenAll(ids.Select(id => grains.GetGrain<IProductGrain>(id).Get()));
            return products.All(p => p!.EnrichmentStatus == EnrichmentStatus.Enriched);
        }, TimeSpan.FromMinutes(4), "every product enriched");
        await EnrichmentQueueProbe.DrainedAsync(grains, TimeSpan.FromMinutes(2));
        Assert.Contains(products, p => p!.Enrichment!.ModelVersion == v2.VersionId);
    }

    /// <summary>
    /// The registry may have lived on the killed silo: the deployment then fails at once (silo unavailable, or the
    /// message rejected while the silo stops) and the
    /// operator's retry reaches the registry's new activation once membership has noticed. The bound covers all calls.
    /// </summary>
    private static async Task DeployAsync(IGrainFactory grains, string versionId)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await grains.GetGrain<IModelDeploymentGrain>(0).Deploy(new DeploymentRequest(versionId, "test"));
                return;
            }
            catch (OrleansMessageRejectionException) when (attempt < 10)
            {
                await Task.Delay(500);
            }
        }
    }

    /// <summary>What a sender does when a silo dies under it: retry with backoff (events are idempotent).</summary>
    private static async Task ApplyWithRetriesAsync(IGrainFactory grains, ProductEvent e)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await grains.GetGrain<IProductGrain>(e.ProductId).Apply(e);
                return;
            }
            catch (Exception) when (attempt < 20)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100 * Math.Min(attempt * attempt, 30)));
            }
        }
    }

    private static Task EventuallyAsync(Func<bool> condition, TimeSpan timeout, string what) =>
        EventuallyAsync(() => Task.FromResult(condition()), timeout, what);

    private static Task EventuallyAsync(Func<Task<bool>> condition, TimeSpan timeout, string what) =>
        Eventually.True(condition, timeout, what, TimeSpan.FromMilliseconds(500));
}
