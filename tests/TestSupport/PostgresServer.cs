using System.Diagnostics;
using Npgsql;

namespace Enrichment.TestSupport;

/// <summary>
/// A throwaway PostgreSQL server for tests: its own temp data directory, a free port on 127.0.0.1, trust auth,
/// fsync off. Start one per test assembly (e.g. in an xunit collection fixture) and isolate tests with
/// <see cref="CreateDatabaseAsync"/>. Never outlives the test process: <see cref="DisposeAsync"/>, a process-exit
/// hook and a watchdog (for a killed test host) each stop it with <c>pg_ctl stop -m immediate</c>.
/// </summary>
/// <remarks>Thread-safe: <see cref="CreateDatabaseAsync"/> may be called concurrently; dispose is idempotent.</remarks>
public sealed class PostgresServer : IAsyncDisposable
{
    /// <summary>Prefix of every temp directory, so .ci/run can find and stop servers left by a killed run.</summary>
    public const string TempDirectoryPrefix = "enrichment-pg-";

    /// <summary>File in <see cref="RootDirectory"/> holding the id of the process that owns the server.</summary>
    public const string OwnerPidFile = "owner.pid";

    private const string Superuser = "postgres";
    private static int _databaseCounter;

    private readonly string _pgCtl;
    private readonly Process? _watchdog;
    private int _disposed;

    private PostgresServer(string pgCtl, string rootDirectory, int port, Process? watchdog)
    {
        _pgCtl = pgCtl;
        RootDirectory = rootDirectory;
        Port = port;
        _watchdog = watchdog;
        ConnectionString = BuildConnectionString("postgres");
    }

    /// <summary>Connection string for the <c>postgres</c> maintenance database (superuser, trust auth).</summary>
    public string ConnectionString { get; }

    /// <summary>TCP port on 127.0.0.1.</summary>
    public int Port { get; }

    /// <summary>Temp directory holding the data directory, the unix socket and <see cref="LogFile"/>.</summary>
    public string RootDirectory { get; }

    public string DataDirectory => Path.Combine(RootDirectory, "data");

    /// <summary>Server log; worth reading when a test fails on the database side.</summary>
    public string LogFile => Path.Combine(RootDirectory, "postgres.log");

    /// <summary>Creates a data directory with initdb and starts a server on a free port; returns once it accepts connections.</summary>
    /// <param name="durable">Run as a real store would (fsync, synchronous commit, full-page writes, 256 MB shared
    /// buffers), for benchmarks; tests keep the fast, non-durable default.</param>
    /// <exception cref="InvalidOperationException">PostgreSQL is not installed (message says how to install it) or failed to start.</exception>
    public static async Task<PostgresServer> StartAsync(CancellationToken ct = default, bool durable = false)
    {
        var binDir = PostgresBinaries.FindBinDirectory();
        var initdb = Path.Combine(binDir, "initdb");
        var pgCtl = Path.Combine(binDir, "pg_ctl");

        var root = Path.Combine(Path.GetTempPath(), TempDirectoryPrefix + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(root);
        // Lets .ci/run tell a leftover server (owner dead) from one a concurrent test run is still using.
        await File.WriteAllTextAsync(Path.Combine(root, OwnerPidFile), Environment.ProcessId.ToString(), ct);
        var started = false;
        Process? watchdog = null;
        try
        {
            if (ProcessRunner.IsRoot)
            {
                // initdb refuses to run as root; the postgres OS user must own the directory it writes to.
                await ProcessRunner.RunAsync("chown", ["-R", $"{ProcessRunner.PostgresOsUser}:", root], ct, asPostgresUser: false);
            }

            var data = Path.Combine(root, "data");
            // -N: skip fsync of the new cluster, --locale=C: fast and identical on every machine.
            await ProcessRunner.RunAsync(initdb, ["-D", data, "-U", Superuser, "-A", "trust", "-E", "UTF8", "--locale=C", "-N"], ct);
            await File.AppendAllTextAsync(Path.Combine(data, "postgresql.conf"), ServerSettings(root, durable), ct);

            // The watchdog goes up before the server so that no window exists in which a killed host leaks it.
            watchdog = StartWatchdog(pgCtl, root);

            // A free port can be taken by someone else between probing and binding: retry with a new one.
            for (var attempt = 1; ; attempt++)
            {
                var port = LoopbackPorts.Free();
                try
                {
                    await ProcessRunner.RunAsync(pgCtl, ["start", "-D", data, "-l", Path.Combine(root, "postgres.log"), "-w", "-t", "60", "-s", "-o", $"-p {port}"], ct);
                }
                catch (InvalidOperationException) when (attempt < 3)
                {
                    continue;
                }
                catch (InvalidOperationException ex)
                {
                    throw new InvalidOperationException($"{ex.Message}\nServer log:\n{TryReadLog(root)}", ex);
                }

                var server = new PostgresServer(pgCtl, root, port, watchdog);
                Track(server);
                try
                {
                    await server.WaitUntilReadyAsync(ct);
                }
                catch
                {
                    await server.DisposeAsync();
                    started = true; // cleanup already done by DisposeAsync
                    throw;
                }
                started = true;
                return server;
            }
        }
        finally
        {
            if (!started)
            {
                KillWatchdog(watchdog);
                StopAndDelete(pgCtl, root);
            }
        }
    }

    /// <summary>Creates a fresh, empty database (unique name derived from <paramref name="prefix"/>) and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string prefix = "test", CancellationToken ct = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var safePrefix = new string(prefix.ToLowerInvariant().Where(c => char.IsAsciiLetterOrDigit(c) || c == '_').ToArray());
        if (safePrefix.Length == 0) safePrefix = "test";
        if (safePrefix.Length > 30) safePrefix = safePrefix[..30];
        var name = $"{safePrefix}_{Interlocked.Increment(ref _databaseCounter)}_{Guid.NewGuid().ToString("N")[..8]}";

        // Pooling off: CREATE DATABASE copies template1 and fails if another session is connected to it.
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(ConnectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync(ct);
        await using var cmd = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        await cmd.ExecuteNonQueryAsync(ct);
        return BuildConnectionString(name);
    }

    /// <summary>Stops the server immediately (<c>pg_ctl stop -m immediate</c>) and deletes its directory.</summary>
    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return ValueTask.CompletedTask;
        }
        Untrack(this);
        // Pooled connections to a stopped server are dead; drop them so later tests don't trip over them.
        NpgsqlConnection.ClearAllPools();
        StopAndDelete(_pgCtl, RootDirectory);
        KillWatchdog(_watchdog);
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// Stops the server as an outage would (<c>pg_ctl stop -m immediate</c>: every session cut, nothing flushed), keeping
    /// its data directory for <see cref="ResumeAsync"/>.
    /// </summary>
    public async Task StopForOutageAsync(CancellationToken ct = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        await ProcessRunner.RunAsync(_pgCtl, ["stop", "-D", DataDirectory, "-m", "immediate", "-w", "-s"], ct);
    }

    /// <summary>Starts a server stopped by <see cref="StopForOutageAsync"/> again on the same port; returns once it accepts connections.</summary>
    public async Task ResumeAsync(CancellationToken ct = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        await ProcessRunner.RunAsync(_pgCtl, ["start", "-D", DataDirectory, "-l", LogFile, "-w", "-t", "60", "-s", "-o", $"-p {Port}"], ct);
        await WaitUntilReadyAsync(ct);
    }

    public override string ToString() => $"PostgreSQL on 127.0.0.1:{Port} ({RootDirectory})";

    private string BuildConnectionString(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = Superuser,
        Database = database,
        Timeout = 30,
        IncludeErrorDetail = true,
    }.ConnectionString;

    private async Task WaitUntilReadyAsync(CancellationToken ct)
    {
        // pg_ctl -w already waited; this also proves TCP (not just the socket) accepts logins.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(ConnectionString) { Pooling = false }.ConnectionString);
                await connection.OpenAsync(ct);
                return;
            }
            catch (NpgsqlException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(200, ct);
            }
        }
    }

    private static string ServerSettings(string root, bool durable) => durable
        ? $"""

            # --- Enrichment.TestSupport benchmark server: durable, as the real store runs ---
            listen_addresses = '127.0.0.1'
            unix_socket_directories = '{root}'
            max_connections = 300
            shared_buffers = 256MB
            max_wal_size = 4GB
            log_min_messages = warning
            """
        : $"""

            # --- Enrichment.TestSupport throwaway server: speed over durability ---
            listen_addresses = '127.0.0.1'
            unix_socket_directories = '{root}'
            fsync = off
            synchronous_commit = off
            full_page_writes = off
            max_connections = 300
            shared_buffers = 64MB
            log_min_messages = warning
            """;

    private static string TryReadLog(string root)
    {
        try { return File.ReadAllText(Path.Combine(root, "postgres.log")); }
        catch (IOException) { return "(no log)"; }
    }

    /// <summary>
    /// A detached shell that stops the server if this process dies without running its exit hooks (SIGKILL, crash).
    /// setsid puts it in its own session so a process-group kill of the test host does not take it down too.
    /// </summary>
    private static Process? StartWatchdog(string pgCtl, string root)
    {
        var asPostgres = ProcessRunner.IsRoot ? $"runuser -u {ProcessRunner.PostgresOsUser} -- " : "";
        var script =
            $"while kill -0 {Environment.ProcessId} 2>/dev/null; do sleep 2; done; " +
            $"{asPostgres}'{pgCtl}' stop -D '{root}/data' -m immediate -s >/dev/null 2>&1; rm -rf '{root}'";
        try
        {
            var psi = new ProcessStartInfo("setsid") { UseShellExecute = false, RedirectStandardInput = true };
            foreach (var a in new[] { "sh", "-c", script }) psi.ArgumentList.Add(a);
            var process = Process.Start(psi);
            process?.StandardInput.Close();
            return process;
        }
        catch (Exception)
        {
            return null; // no setsid: dispose and the process-exit hook still cover normal runs
        }
    }

    private static void KillWatchdog(Process? watchdog)
    {
        if (watchdog is null) return;
        try { if (!watchdog.HasExited) watchdog.Kill(); } catch (InvalidOperationException) { }
        watchdog.Dispose();
    }

    private static void StopAndDelete(string pgCtl, string root)
    {
        var data = Path.Combine(root, "data");
        if (File.Exists(Path.Combine(data, "postmaster.pid")))
        {
            ProcessRunner.RunQuietly(pgCtl, ["stop", "-D", data, "-m", "immediate", "-w", "-t", "30", "-s"], TimeSpan.FromSeconds(30));
        }
        // Debug aid: ENRICHMENT_PG_KEEP_DIR=1 keeps the data dir and postgres.log of a failed run for inspection.
        if (Environment.GetEnvironmentVariable("ENRICHMENT_PG_KEEP_DIR") == "1") return;
        try { Directory.Delete(root, recursive: true); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }

    // ---- process-exit safety net: servers not disposed by the test run are stopped when the process exits ----

    private static readonly HashSet<PostgresServer> Live = [];
    private static bool _exitHookInstalled;

    private static void Track(PostgresServer server)
    {
        lock (Live)
        {
            Live.Add(server);
            if (!_exitHookInstalled)
            {
                // ProcessExit also runs on SIGTERM in .NET; SIGKILL is the watchdog's job.
                AppDomain.CurrentDomain.ProcessExit += (_, _) => StopAllLive();
                _exitHookInstalled = true;
            }
        }
    }

    private static void Untrack(PostgresServer server)
    {
        lock (Live) Live.Remove(server);
    }

    private static void StopAllLive()
    {
        PostgresServer[] servers;
        lock (Live) servers = [.. Live];
        foreach (var server in servers)
        {
            server.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }
}
