using System.Reflection;
using Enrichment.TestSupport;

namespace Enrichment.Deploy.Tests.LocalCluster;

/// <summary>
/// A real multi-process cluster on 127.0.0.1: a throwaway PostgreSQL server, two silo processes on PostgreSQL
/// clustering and storage (silo 1, the default build, declares the cpu accelerator; silo 2 is the products-only build;
/// each applies the schema itself) and the client's HTTP API, which finds the cluster through the membership table. No model is
/// published: this is about the durability of accepted events, and products simply wait in the enrichment queue.
/// </summary>
public sealed class LocalClusterHosts : IAsyncDisposable
{
    // A hang guard, not a speed target: every start waits on the process saying it is ready and fails at once when it
    // exits, so a slow (busy) machine only takes longer; this bounds a process that hangs without exiting.
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(5);

    private readonly List<HostProcess> _processes = new();
    private readonly OrphanWatchdog _watchdog = new();

    private LocalClusterHosts(PostgresServer postgres, string database, string logs)
    {
        (Postgres, Database, Logs) = (postgres, database, logs);
    }

    public PostgresServer Postgres { get; }
    public string Database { get; }
    public string Logs { get; }
    public string ClusterId { get; } = $"local-{Environment.ProcessId}";
    public HostProcess ModelSilo { get; private set; } = null!;
    public HostProcess ProductSilo { get; private set; } = null!;
    /// <summary>The product silo's silo port: how the membership table names it.</summary>
    public int ProductSiloPort { get; } = LoopbackPorts.Free();
    public HostProcess ApiHost { get; private set; } = null!;
    public HttpClient Api { get; private set; } = null!;

    /// <summary>What every client command (serve, ingest) needs to find the cluster.</summary>
    public string[] ClientArgs => ["--postgres", Database, "--cluster-id", ClusterId];

    /// <summary>The hosts as this test assembly's configuration built them (its project references just did).</summary>
    public static string BinaryOf(string project)
    {
        var configuration = typeof(LocalClusterHosts).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        return Repo.PathOf($"src/{project}/bin/{configuration}/net10.0/Enrichment.{project}.dll");
    }

    /// <summary>The products-only silo (built with SiloRole=Products by this project's build, into artifacts/products).</summary>
    public static string ProductsOnlySilo
    {
        get
        {
            var configuration = typeof(LocalClusterHosts).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
            return Repo.PathOf($"artifacts/products/bin/Enrichment.Silo/{configuration.ToLowerInvariant()}/Enrichment.Silo.dll");
        }
    }

    /// <summary>The products-only silo's publish output (published with SiloRole=Products by this project's build).</summary>
    public static string ProductsOnlyPublish
    {
        get
        {
            var configuration = typeof(LocalClusterHosts).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
            return Repo.PathOf($"artifacts/products/publish/Enrichment.Silo/{configuration.ToLowerInvariant()}");
        }
    }

    public static async Task<LocalClusterHosts> StartAsync(string logs)
    {
        Directory.CreateDirectory(logs);
        foreach (var old in Directory.GetFiles(logs, "*.log"))
        {
            File.Delete(old);
        }
        var postgres = await PostgresServer.StartAsync();
        var hosts = new LocalClusterHosts(postgres, await postgres.CreateDatabaseAsync("enrichment"), logs);
        try
        {
            await hosts.StartProcessesAsync();
            return hosts;
        }
        catch
        {
            await hosts.DisposeAsync();
            throw;
        }
    }

    private async Task StartProcessesAsync()
    {
        // As a real deployment runs them: the model silo's build, and the products-only build without TorchSharp.
        ModelSilo = Track(HostProcess.Start("silo1", BinaryOf("Silo"), SiloArgs(LoopbackPorts.Free(), "--accelerator", "cpu"), Logs));
        ProductSilo = Track(HostProcess.Start("silo2", ProductsOnlySilo, SiloArgs(ProductSiloPort), Logs));
        await Task.WhenAll(ModelSilo.WaitForLineAsync("Silo ready", StartTimeout), ProductSilo.WaitForLineAsync("Silo ready", StartTimeout));

        var url = $"http://127.0.0.1:{LoopbackPorts.Free()}";
        var client = ApiHost = Track(HostProcess.Start("client", BinaryOf("Client"), ["serve", .. ClientArgs, "--urls", url], Logs));
        Api = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(30) };
        await Eventually.True(async () => await AnswersAsync("/healthz")
                || (client.HasExited ? throw new InvalidOperationException($"the client exited before its API answered on {url}; see {Logs}/client.log") : false),
            StartTimeout, $"the client API to answer on {url} (see {Logs}/client.log)", TimeSpan.FromMilliseconds(200));
    }

    private string[] SiloArgs(int siloPort, params string[] extra) =>
        ["--postgres", Database, "--cluster-id", ClusterId, "--silo-port", siloPort.ToString(),
         "--gateway-port", LoopbackPorts.Free().ToString(), .. extra];

    private async Task<bool> AnswersAsync(string path)
    {
        try
        {
            using var response = await Api.GetAsync(path);
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    /// <summary>Starts a client command (ingest) against the cluster; the caller waits for it.</summary>
    /// <param name="feedInput">Leave its stdin open for the caller to write (<see cref="HostProcess.Input"/>).</param>
    public HostProcess RunClient(string name, IEnumerable<string> args, bool feedInput = false) =>
        Track(HostProcess.Start(name, BinaryOf("Client"), [.. args, .. ClientArgs], Logs, feedInput));

    private HostProcess Track(HostProcess process)
    {
        _processes.Add(process);
        _watchdog.Watch(process);
        return process;
    }

    public async ValueTask DisposeAsync()
    {
        Api?.Dispose();
        // Client commands first, then the API, then the silos: each leaves the cluster while the others still run.
        for (var i = _processes.Count - 1; i >= 0; i--)
        {
            await _processes[i].DisposeAsync();
        }
        _watchdog.Dispose();
        await Postgres.DisposeAsync();
    }
}
