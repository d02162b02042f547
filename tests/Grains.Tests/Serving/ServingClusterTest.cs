using Enrichment.TestSupport;
using Orleans.TestingHost;

namespace Enrichment.Grains.Tests.Serving;

/// <summary>
/// A fresh real cluster per test class, whose named silos declare an accelerator and publish a tiny real
/// checkpoint (v1) on first use; removed with its work folder afterwards. Durable clusters keep grain state in a
/// throwaway PostgreSQL server, so that killing a silo loses nothing that was stored.
/// </summary>
public abstract class ServingClusterTest(int silos, string acceleratorSilos, bool durable = false) : IAsyncLifetime
{
    private PostgresServer? _postgres;

    protected string WorkDir { get; } = Directory.CreateTempSubdirectory("enrichment-serving-").FullName;
    protected InProcessTestCluster Cluster { get; private set; } = null!;

    /// <summary>The PostgreSQL database of a durable cluster (null on memory storage).</summary>
    protected string? Database { get; private set; }
    protected IGrainFactory Grains => Cluster.Client;

    public virtual async Task InitializeAsync()
    {
        var checkpoint = CreateBootstrapCheckpoint();
        string? database = null;
        if (durable)
        {
            _postgres = await PostgresServer.StartAsync();
            database = await _postgres.CreateDatabaseAsync("serving");
            await Enrichment.Persistence.PostgresSchema.ApplyAsync(database);
            Database = database;
        }
        Cluster = ServingCluster.Build(silos, acceleratorSilos, checkpoint, Path.Combine(WorkDir, "cache"), postgres: database, settings: Settings,
            configure: ConfigureSilo);
        await Cluster.DeployAsync();
    }

    /// <summary>Silo configuration a test class needs beyond the test defaults.</summary>
    protected virtual IReadOnlyDictionary<string, string>? Settings => null;

    /// <summary>Services a test class stands in on the silo named <paramref name="siloName"/>, after the production ones.</summary>
    protected virtual void ConfigureSilo(string siloName, ISiloBuilder silo)
    {
    }

    /// <summary>The checkpoint published as the first version: a tiny untrained net unless a test needs a real one.</summary>
    protected virtual string? CreateBootstrapCheckpoint() => TinyModel.SaveCheckpoint(Path.Combine(WorkDir, "v1"), seed: 1);

    public virtual async Task DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }
        Directory.Delete(WorkDir, recursive: true);
    }
}
