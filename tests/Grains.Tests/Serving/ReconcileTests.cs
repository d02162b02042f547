using Enrichment.Abstractions;
using Enrichment.Grains.Serving;
using Enrichment.TestSupport;

namespace Enrichment.Grains.Tests.Serving;

/// <summary>
/// A silo converges on the registry by itself (<see cref="ModelSwapService"/>'s reconcile loop), not only through a
/// deployment's push: here the registry moves while no deployment tells any silo.
/// </summary>
[Trait("Category", "Cluster")]
public sealed class ReconcileTests() : ServingClusterTest(silos: 1, acceleratorSilos: "Silo_0")
{
    [Fact]
    public async Task A_silo_serving_one_version_moves_to_the_registrys_new_current_version_without_a_push()
    {
        var host = ServingCluster.HostOf(Cluster.Silos[0]);
        var registry = Grains.GetGrain<IModelRegistryGrain>(0);
        var v1 = await Eventually.Get(() => registry.GetCurrent(), v => v is not null, TimeSpan.FromSeconds(60), "the bootstrap model to be published");
        await Eventually.True(() => host.CurrentVersion == v1!.VersionId, TimeSpan.FromSeconds(60), "the silo to serve the bootstrap model");

        var v2 = await new ModelWeightsStore(Grains).UploadAsync(TinyModel.SaveCheckpoint(Path.Combine(WorkDir, "v2"), seed: 2), "test");
        await registry.Register(v2);
        // The registry alone: no deployment grain, no SwapTo call reaches the silo.
        await registry.SetCurrent(new DeploymentRequest(v2.VersionId, "test", "moved without a push"));

        // ReconcileInterval is 1 s in test clusters; the deadline only bounds a hang.
        await Eventually.True(() => host.CurrentVersion == v2.VersionId, TimeSpan.FromSeconds(30),
            $"the silo serving {v1!.VersionId} to converge on {v2.VersionId}");
    }
}
