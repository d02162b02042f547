using Enrichment.Grains;
using Enrichment.Grains.Serving;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Orleans.Runtime.MembershipService.SiloMetadata;
using Orleans.TestingHost;

namespace Enrichment.TestSupport;

/// <summary>
/// Builds real in-process clusters where only the silos named in <see cref="AcceleratorSilosKey"/> declare an
/// accelerator, and the first model activation publishes a real checkpoint from disk.
/// </summary>
public static class ServingCluster
{
    public const string AcceleratorSilosKey = "Test:AcceleratorSilos";
    public const string CheckpointKey = "Test:Checkpoint";
    public const string CacheKey = "Test:Cache";
    public const string PostgresKey = "Test:Postgres";

    /// <param name="overTcp">Silos talk TCP, so that a separately hosted client can reach their gateways.</param>
    /// <param name="postgres">Grain storage in this PostgreSQL database (schema applied) instead of memory, for
    /// tests that kill silos: memory storage dies with the silo that holds it.</param>
    /// <param name="serviceId">Fixed for clusters that must find each other's stored state (a full restart on one database).</param>
    /// <param name="settings">Extra silo configuration (e.g. "Enrichment:Queue:Lease"), over the test defaults.</param>
    public static TestCluster Build(int silos, string acceleratorSilos, string? checkpoint, string cacheRoot, bool overTcp = false, string? postgres = null,
        string? serviceId = null, IReadOnlyDictionary<string, string>? settings = null)
    {
        var builder = new TestClusterBuilder((short)silos);
        if (serviceId is not null)
        {
            builder.Options.ServiceId = serviceId;
        }
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            builder.Properties[SettingPrefix + key] = value;
        }
        if (overTcp)
        {
            builder.Options.ConnectionTransport = ConnectionTransportType.TcpSocket;
        }
        builder.Properties[AcceleratorSilosKey] = acceleratorSilos;
        builder.Properties[CheckpointKey] = checkpoint ?? "";
        builder.Properties[CacheKey] = cacheRoot;
        builder.Properties[PostgresKey] = postgres ?? "";
        builder.AddSiloBuilderConfigurator<Configurator>();
        return builder.Build();
    }

    private const string SettingPrefix = "Test:Setting:";

    public static ModelHost HostOf(SiloHandle silo) => ServicesOf(silo).GetRequiredService<ModelHost>();

    /// <summary>What <paramref name="silo"/> has logged since it started.</summary>
    public static LogCapture LogsOf(SiloHandle silo) => ServicesOf(silo).GetRequiredService<LogCapture>();

    public static IServiceProvider ServicesOf(SiloHandle silo) => ((InProcessSiloHandle)silo).SiloHost.Services;

    private sealed class Configurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder silo)
        {
            var config = silo.Configuration;
            var name = config["SiloName"] ?? config["Orleans:Name"] ?? config["Name"]
                ?? throw new InvalidOperationException("TestingHost did not name the silo: " + string.Join(", ", config.AsEnumerable().Select(kv => kv.Key)));
            var accelerated = (config[AcceleratorSilosKey] ?? "").Split(',').Contains(name);
            var settings = new Dictionary<string, string?>
            {
                ["Enrichment:Models:BootstrapCheckpoint"] = config[CheckpointKey],
                ["Enrichment:Models:CacheDirectory"] = Path.Combine(config[CacheKey]!, name),
                ["Enrichment:Models:Device"] = "cpu",
                ["Enrichment:Models:Batching:MaxDelay"] = "00:00:00.020",
                ["Enrichment:Models:ReconcileInterval"] = "00:00:01",
                ["Enrichment:Queue:RetryInitialDelay"] = "00:00:00.200",
                ["Enrichment:Queue:RetryMaxDelay"] = "00:00:01",
                ["Enrichment:Queue:IdlePollMax"] = "00:00:00.500",
                ["Enrichment:Queue:StatsInterval"] = "00:00:00.500",
                ["Enrichment:Queue:OrphanGrace"] = "00:00:10",
            };
            foreach (var (key, value) in config.AsEnumerable().Where(kv => kv.Key.StartsWith(SettingPrefix, StringComparison.Ordinal)))
            {
                settings[key[SettingPrefix.Length..]] = value;
            }
            var logs = new LogCapture();
            silo.Services.AddSingleton(logs);
            silo.Services.AddLogging(logging => logging.AddProvider(logs));
            // Storage and the enrichment queue exactly as a production silo registers them.
            silo.AddEnrichmentStorage(new EnrichmentStorageOptions { Postgres = config[PostgresKey] });
            // TestingHost writes silo logs to files nobody sees in CI; errors from our own code also reach the console,
            // so a failed test's output says why (a training job's exception, a failed swap).
            silo.Services.AddLogging(logging => logging.AddConsole().AddFilter<ConsoleLoggerProvider>((category, level) =>
                level >= LogLevel.Error && category?.StartsWith("Enrichment.", StringComparison.Ordinal) == true));
            silo.UseSiloMetadata(accelerated ? new Dictionary<string, string> { [AcceleratorPlacementFilterDirector.MetadataKey] = "cpu" } : new())
                .AddEnrichmentGrains(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        }
    }
}
