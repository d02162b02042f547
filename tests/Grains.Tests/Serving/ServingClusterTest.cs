using Enrichment.TestSupport;
using Orleans.TestingHost;

namespace Enrichment.Grains.Tests.Serving;

/// <summary>
/// A fresh real cluster per test class, whose named silos declare an accelerator and publish a tiny real
/// checkpoint (v1) on first use; removed with its work folder afterwards.
/// </summary>
public abstract class ServingClusterTest(int silos, string acceleratorSilos) : IAsyncLifetime
{
    protected string WorkDir { get; } = Directory.CreateTempSubdirectory("enrichment-serving-").FullName;
    protected TestCluster Cluster { get; private set; } = null!;
    protected IGrainFactory Grains => Cluster.GrainFactory;

    public virtual async Task InitializeAsync()
    {
        var checkpoint = TinyModel.SaveCheckpoint(Path.Combine(WorkDir, "v1"), seed: 1);
        Cluster = ServingCluster.Build(silos, acceleratorSilos, checkpoint, Path.Combine(WorkDir, "cache"));
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
        Directory.Delete(WorkDir, recursive: true);
    }
}
