using Enrichment.Abstractions;
using Enrichment.Grains.Serving;
using Enrichment.TestSupport;

namespace Enrichment.Grains.Tests.Serving;

/// <summary>The registry's single-flight claim on publishing the first model.</summary>
[Trait("Category", "Cluster")]
public sealed class BootstrapClaimTests() : ServingClusterTest(silos: 1, acceleratorSilos: "")
{
    protected override string? CreateBootstrapCheckpoint() => null;

    [Fact]
    public async Task One_claimant_at_a_time_publishes_the_first_model_a_lapsed_claim_passes_on_and_none_is_granted_once_a_model_exists()
    {
        var registry = Grains.GetGrain<IModelRegistryGrain>(0);
        Assert.True(await registry.TryClaimBootstrap("silo-a", TimeSpan.FromMinutes(5)));
        Assert.False(await registry.TryClaimBootstrap("silo-b", TimeSpan.FromMinutes(5)));

        // silo-a renews its own claim with a lease that lapses at once (as if it died holding it): another silo takes
        // over. Leases are minutes in the test until then, so no step depends on how fast the machine runs them.
        Assert.True(await registry.TryClaimBootstrap("silo-a", TimeSpan.FromMilliseconds(1)));
        await Eventually.True(() => registry.TryClaimBootstrap("silo-b", TimeSpan.FromMinutes(5)), TimeSpan.FromSeconds(30),
            "the lapsed claim to pass on", TimeSpan.FromMilliseconds(50));
        Assert.False(await registry.TryClaimBootstrap("silo-a", TimeSpan.FromMinutes(5)));

        var version = await new ModelWeightsStore(Grains).UploadAsync(TinyModel.SaveCheckpoint(Path.Combine(WorkDir, "first"), seed: 3), "bootstrap");
        Assert.Equal(version.VersionId, (await registry.PublishBootstrap(version)).VersionId);
        Assert.False(await registry.TryClaimBootstrap("silo-c", TimeSpan.FromMinutes(5)));
        Assert.Equal(version.VersionId, (await registry.GetCurrent())!.VersionId);
        Assert.Single(await registry.List());
    }
}
