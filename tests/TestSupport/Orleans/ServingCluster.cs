using Enrichment.Grains.Placement;
using Enrichment.Grains;
using Enrichment.Grains.Serving;
using Enrichment.Persistence;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Orleans.Runtime.MembershipService.SiloMetadata;
using Orleans.Dashboard;
using Orleans.TestingHost;

namespace Enrichment.TestSupport;

/// <summary>
/// Builds real in-process clusters the production way: each silo gets the production storage and grain registration
/// (<see cref="StorageRegistration.AddEnrichmentStorage"/>, <see cref="GrainsRegistration.AddEnrichmentGrains"/>);
/// only the silos named in <c>acceleratorSilos</c> ("Silo_1,Silo_2": TestingHost names silos Silo_0, Silo_1, ...)
/// declare an accelerator, and the model silos publish a real checkpoint from disk.
/// </summary>
public static class ServingCluster
{
    /// <param name="postgres">Grain storage, queue and read model in this PostgreSQL database (schema applied) instead of
    /// memory, for tests that kill silos: memory storage dies with the silo that holds it.</param>
    /// <param name="serviceId">Fixed for clusters that must find each other's stored state (a full restart on one database).</param>
    /// <param name="settings">Extra silo configuration (e.g. "Enrichment:Queue:Lease", "Photos:Store"), over the test defaults.</param>
    /// <param name="configure">Per silo (by name), after the production registration: services a test stands in.</param>
    public static InProcessTestCluster Build(int silos, string acceleratorSilos, string? checkpoint, string cacheRoot, string? postgres = null,
        string? serviceId = null, IReadOnlyDictionary<string, string>? settings = null, Action<string, ISiloBuilder>? configure = null)
    {
        var accelerated = acceleratorSilos.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet();
        var builder = new InProcessTestClusterBuilder((short)silos);
        if (serviceId is not null)
        {
            builder.Options.ServiceId = serviceId;
        }
        // Memory stores die with their silo; the silos of one in-process cluster share one catalogue, as real silos
        // share one database.
        var catalogue = new MemoryCatalogStores();
        builder.ConfigureSilo((options, silo) =>
        {
            ConfigureSilo(silo, options.SiloName, accelerated, checkpoint, cacheRoot, postgres, settings);
            silo.Services.AddSingleton(catalogue);
            configure?.Invoke(options.SiloName, silo);
        });
        return builder.Build();
    }

    /// <summary>
    /// The same silos for tests whose HTTP host connects like a real client, over TCP to the silos' gateways:
    /// InProcessTestCluster (10.4) always puts its silos and client on its in-memory transport (registered after the
    /// test's own configuration, with no option to turn it off), which nothing outside the test cluster can reach, so
    /// these use TestClusterBuilder, whose silos are named Primary, Secondary_1, ... and whose configurators it creates
    /// by type: the settings travel as configuration properties.
    /// </summary>
    public static TestCluster BuildOverTcp(int silos, string acceleratorSilos, string? checkpoint, string cacheRoot)
    {
        var builder = new TestClusterBuilder((short)silos);
        builder.Options.ConnectionTransport = ConnectionTransportType.TcpSocket;
        builder.Properties[AcceleratorSilosKey] = acceleratorSilos;
        builder.Properties[CheckpointKey] = checkpoint ?? "";
        builder.Properties[CacheKey] = cacheRoot;
        builder.AddSiloBuilderConfigurator<TcpSiloConfigurator>();
        var cluster = builder.Build();
        // TestClusterBuilder makes configurators by type, so the silos' shared catalogue is handed to each silo's host
        // as it is created (in this process) instead.
        var catalogue = new MemoryCatalogStores();
        cluster.CreateSiloAsync = async (name, configuration) =>
            await InProcessSiloHandle.CreateAsync(name, configuration, host => host.ConfigureServices(services => services.AddSingleton(catalogue)));
        return cluster;
    }

    private const string AcceleratorSilosKey = "Test:AcceleratorSilos";
    private const string CheckpointKey = "Test:Checkpoint";
    private const string CacheKey = "Test:Cache";

    private sealed class TcpSiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder silo)
        {
            var config = silo.Configuration;
            // Orleans' own key for the silo's name (it sets SiloOptions.SiloName from it); TestClusterBuilder writes
            // each silo's name there.
            var name = config["Orleans:Name"] ?? throw new InvalidOperationException("TestClusterBuilder did not name the silo (Orleans:Name).");
            var accelerated = (config[AcceleratorSilosKey] ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries).ToHashSet();
            var checkpoint = config[CheckpointKey];
            ConfigureSilo(silo, name, accelerated, string.IsNullOrEmpty(checkpoint) ? null : checkpoint, config[CacheKey]!, postgres: null, settings: null);
            // As the silo host does (SiloBuilderExtensions.AddClusterDashboard): the HTTP client serves the dashboard's pages.
            silo.AddDashboard(o => o.HideTrace = true);
        }
    }

    /// <summary>One silo's registration, whichever TestingHost builder runs it.</summary>
    private static void ConfigureSilo(ISiloBuilder silo, string siloName, IReadOnlySet<string> accelerated, string? checkpoint, string cacheRoot,
        string? postgres, IReadOnlyDictionary<string, string>? settings)
    {
        var configuration = new Dictionary<string, string?>
        {
            ["Enrichment:Models:BootstrapCheckpoint"] = checkpoint ?? "",
            ["Enrichment:Models:CacheDirectory"] = Path.Combine(cacheRoot, siloName),
            ["Enrichment:Models:Device"] = "cpu",
            ["Enrichment:Models:Batching:MaxDelay"] = "00:00:00.020",
            ["Enrichment:Models:ReconcileInterval"] = "00:00:01",
            ["Enrichment:Queue:RetryInitialDelay"] = "00:00:00.200",
            ["Enrichment:Queue:RetryMaxDelay"] = "00:00:01",
            ["Enrichment:Queue:IdlePollMax"] = "00:00:00.500",
            ["Enrichment:Queue:StatsInterval"] = "00:00:00.500",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            configuration[key] = value;
        }
        var logs = new LogCapture();
        silo.Services.AddSingleton(logs);
        silo.Services.AddLogging(logging => logging.AddProvider(logs));
        // TestingHost writes silo logs to files nobody sees in CI; errors from our own code also reach the console,
        // so a failed test's output says why (a training job's exception, a failed swap).
        silo.Services.AddLogging(logging => logging.AddConsole().AddFilter<ConsoleLoggerProvider>((category, level) =>
            level >= LogLevel.Error && category?.StartsWith("Enrichment.", StringComparison.Ordinal) == true));
        var built = new ConfigurationBuilder().AddInMemoryCollection(configuration).Build();
        silo.AddEnrichmentStorage(new EnrichmentStorageOptions { Postgres = postgres }, built)
            .UseSiloMetadata(accelerated.Contains(siloName)
                ? new Dictionary<string, string> { [AcceleratorPlacementFilterDirector.MetadataKey] = "cpu" }
                : new())
            .AddEnrichmentGrains(built);
    }

    public static ModelHost HostOf(SiloHandle silo) => ServicesOf(silo).GetRequiredService<ModelHost>();

    public static ModelHost HostOf(InProcessSiloHandle silo) => ServicesOf(silo).GetRequiredService<ModelHost>();

    /// <summary>What <paramref name="silo"/> has logged since it started.</summary>
    public static LogCapture LogsOf(InProcessSiloHandle silo) => ServicesOf(silo).GetRequiredService<LogCapture>();

    public static IServiceProvider ServicesOf(InProcessSiloHandle silo) => silo.ServiceProvider;

    public static IServiceProvider ServicesOf(SiloHandle silo) => silo is InProcessSiloHandle inProcess
        ? inProcess.ServiceProvider
        : throw new ArgumentException("an in-process silo", nameof(silo));
}
