using Enrichment.Abstractions;
using Enrichment.Grains.Serving;
using Enrichment.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace Enrichment.Grains.Tests.Serving;

/// <summary>
/// A silo that does not answer a deployment in time is reported, not waited for. The model silo's checkpoint load
/// is held at a gate for the whole deployment, so it cannot answer within any bound, on any machine.
/// </summary>
[Trait("Category", "Cluster")]
public sealed class DeploymentBoundTests() : ServingClusterTest(silos: 2, acceleratorSilos: "Silo_1")
{
    private const string ModelSilo = "Silo_1";
    private HeldCheckpointLoader? _loader;

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Enrichment:Deployment:SwapTimeout"] = "00:00:00.200",
    };

    protected override void ConfigureSilo(string siloName, ISiloBuilder silo)
    {
        if (siloName == ModelSilo)
        {
            silo.Services.AddSingleton<ICheckpointLoader>(sp =>
                _loader = new HeldCheckpointLoader(ActivatorUtilities.CreateInstance<TorchCheckpointLoader>(sp)));
        }
    }

    [Fact]
    public async Task A_silo_that_does_not_answer_within_the_bound_is_reported_unreachable_and_still_converges()
    {
        var accelerator = Cluster.Silos.Single(s => s.Name == ModelSilo);
        var host = ServingCluster.HostOf(accelerator);
        await host.WaitForModelAsync(new CancellationTokenSource(TimeSpan.FromMinutes(1)).Token);
        var v1 = host.CurrentVersion;
        var v2 = await new ModelWeightsStore(Grains).UploadAsync(TinyModel.SaveCheckpoint(Path.Combine(WorkDir, "v2"), seed: 2), "test");
        await Grains.GetGrain<IModelRegistryGrain>(0).Register(v2);
        _loader!.Hold();

        var probes = Cluster.Silos.Select(s => new MeterProbe(s)).ToList();
        // Generous: the bound is 0.2 s; a deployment that waits for the held silo never returns while it is held.
        var report = (await Grains.GetGrain<IModelDeploymentGrain>(0).Deploy(new DeploymentRequest(v2.VersionId, "test"))
            .WaitAsync(TimeSpan.FromMinutes(1))).Silos;

        var slow = Assert.Single(report, s => s.Silo == accelerator.SiloAddress.ToString());
        Assert.StartsWith("unreachable: no answer within 0.2 s", slow.Error);
        Assert.Equal(v1, host.CurrentVersion);
        Assert.Equal(1, probes.Sum(p => p.Sum("enrichment.model.deployments", "outcome=partial")));
        Assert.Equal(0, probes.Sum(p => p.Sum("enrichment.model.deployments", "outcome=complete")));
        probes.ForEach(p => p.Dispose());

        // The registry already names v2: once its load goes through, the silo converges on it whatever the report said.
        _loader.Release();
        await Eventually.True(() => host.CurrentVersion == v2.VersionId, TimeSpan.FromMinutes(1),
            "the slow silo to converge on the deployed version");
    }
}
