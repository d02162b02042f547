using System.Diagnostics;
using Enrichment.Persistence.Images;

namespace Enrichment.TestSupport;

/// <summary>
/// A real S3 API server for tests: s3rver (npm, pinned in tests/TestSupport/S3; test.sh installs it) on 127.0.0.1,
/// on a port the OS picks, storing into its own temp directory, with the bucket <see cref="Bucket"/>. Stopped by
/// <see cref="DisposeAsync"/>; it also stops by itself when this process dies (its standard input closes).
/// </summary>
public sealed class S3Server : IAsyncDisposable
{
    public const string Bucket = "photos";

    /// <summary>s3rver's fixed credentials (it checks signatures made with them).</summary>
    public const string AccessKey = "S3RVER";
    public const string SecretKey = "S3RVER";

    private readonly Process _process;
    private int _disposed;

    private S3Server(Process process, int port, string directory)
    {
        _process = process;
        Port = port;
        Directory = directory;
    }

    public int Port { get; }
    public string Directory { get; }
    public string ServiceUrl => $"http://127.0.0.1:{Port}";

    /// <summary>CPU the server has used so far (benchmarks count it beside the silos' and PostgreSQL's).</summary>
    public TimeSpan Cpu
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    public static string PackageDirectory => Path.Combine(RepoPaths.Root, "tests", "TestSupport", "S3");

    /// <summary>The photo store's options for this server (a fresh key-less retry budget suits tests: 4 retries).</summary>
    public S3PhotoOptions Options(string bucket = Bucket) => new()
    {
        ServiceUrl = ServiceUrl,
        Bucket = bucket,
        AccessKey = AccessKey,
        SecretKey = SecretKey,
    };

    /// <summary>Silo configuration that puts photos in this server.</summary>
    public IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Photos:Store"] = "s3",
        ["Photos:S3:ServiceUrl"] = ServiceUrl,
        ["Photos:S3:Bucket"] = Bucket,
        ["Photos:S3:AccessKey"] = AccessKey,
        ["Photos:S3:SecretKey"] = SecretKey,
    };

    public static async Task<S3Server> StartAsync(CancellationToken ct = default)
    {
        var script = Path.Combine(PackageDirectory, "serve.mjs");
        if (!File.Exists(Path.Combine(PackageDirectory, "node_modules", "s3rver", "package.json")))
        {
            throw new InvalidOperationException($"s3rver is not installed: run `npm ci` in {PackageDirectory} (test.sh does)");
        }
        var directory = System.IO.Directory.CreateTempSubdirectory("enrichment-s3-").FullName;
        var psi = new ProcessStartInfo("node")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = PackageDirectory,
        };
        foreach (var arg in new[] { script, directory, Bucket })
        {
            psi.ArgumentList.Add(arg);
        }
        var process = Process.Start(psi) ?? throw new InvalidOperationException("node did not start");
        var errors = new System.Text.StringBuilder();
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (errors) errors.AppendLine(e.Data); };
        process.BeginErrorReadLine();
        try
        {
            // The server prints its port once it listens; a generous bound for a loaded CI machine.
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
            deadline.CancelAfter(TimeSpan.FromSeconds(60));
            while (await process.StandardOutput.ReadLineAsync(deadline.Token) is { } line)
            {
                if (line.StartsWith("listening ", StringComparison.Ordinal) && int.TryParse(line["listening ".Length..], out var port))
                {
                    // Keep draining stdout so the server never blocks on a full pipe.
                    _ = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
                    return new S3Server(process, port, directory);
                }
            }
            throw new InvalidOperationException($"s3rver exited before listening:\n{errors}");
        }
        catch
        {
            Stop(process);
            TryDelete(directory);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }
        try
        {
            _process.StandardInput.Close();
            using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await _process.WaitForExitAsync(bound.Token);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or InvalidOperationException)
        {
            Stop(_process);
        }
        _process.Dispose();
        TryDelete(Directory);
    }

    private static void Stop(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // already gone
        }
    }

    private static void TryDelete(string directory)
    {
        try
        {
            System.IO.Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
