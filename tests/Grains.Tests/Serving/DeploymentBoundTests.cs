using System.Diagnostics;
using Enrichment.Abstractions;
using Enrichment.Grains.Serving;
using Enrichment.TestSupport;

namespace Enrichment.Grains.Tests.Serving;

/// <summary>
/// A silo that does not answer a deployment in time is reported, not waited for. A swap (download + load) cannot
/// finish within a 1 ms bound, which makes this silo a slow one on any machine.
/// </summary>
[Trait("Category", "Cluster")]
public sealed class DeploymentBoundTests() : ServingClusterTest(silos: 2, acceleratorSilos: "Silo_1")
{
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Enrichment:Deployment:SwapTimeout"] = "00:00:00.001",
    };

    [Fact]
    public async Task A_silo_that_does_not_answer_within_the_bound_is_reported_unreachable_and_still_converges()
    {
        var accelerator = Cluster.Silos.Single(s => s.Name == "Silo_1");
        var v2 = await new ModelWeightsStore(Grains).UploadAsync(TinyModel.SaveCheckpoint(Path.Combine(WorkDir, "v2"), seed: 2), "test");
        await Grains.GetGrain<IModelRegistryGrain>(0).Register(v2);

        var probes = Cluster.Silos.Select(s => new MeterProbe(s)).ToList();
        var clock = Stopwatch.StartNew();
        var report = (await Grains.GetGrain<IModelDeploymentGrain>(0).Deploy(new DeploymentRequest(v2.VersionId, "test"))).Silos;
        clock.Stop();

        var slow = Assert.Single(report, s => s.Silo == accelerator.SiloAddress.ToString());
        Assert.StartsWith("unreachable: no answer within", slow.Error);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"deployment took {clock.Elapsed}");
        Assert.Equal(1, probes.Sum(p => p.Sum("enrichment.model.deployments", "outcome=partial")));
        Assert.Equal(0, probes.Sum(p => p.Sum("enrichment.model.deployments", "outcome=complete")));
        probes.ForEach(p => p.Dispose());

        // The registry already names v2: the silo converges on it whatever the report said.
        await Eventually.True(() => ServingCluster.HostOf(accelerator).CurrentVersion == v2.VersionId, TimeSpan.FromMinutes(1),
            "the slow silo to converge on the deployed version");
    }
}
