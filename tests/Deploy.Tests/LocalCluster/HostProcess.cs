using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Enrichment.Deploy.Tests.LocalCluster;

/// <summary>
/// One process of the local cluster (a silo, the client's API, an ingest run): started with its output in a log file
/// under artifacts/, waited on by what it prints, stopped or SIGKILLed, and never left running after a test.
/// </summary>
public sealed class HostProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly object _gate = new();
    private readonly List<(Regex Pattern, TaskCompletionSource Seen)> _waiters = new();
    // The tail of the output, bounded: enough for a summary line, never the whole log in memory.
    private readonly Queue<string> _tail = new();
    private const int TailLines = 200;

    private HostProcess(string name, Process process, StreamWriter log, string logFile)
    {
        (Name, _process, _log, LogFile) = (name, process, log, logFile);
    }

    public string Name { get; }

    /// <summary>Everything the process printed, stdout and stderr, one line as it came.</summary>
    public string LogFile { get; }

    public int Id => _process.Id;

    /// <summary>The process's stdin when started with <c>feedInput</c> (an ingest reading its catalogue from the test); else null.</summary>
    public StreamWriter? Input { get; private set; }

    public bool HasExited => _process.HasExited;
    public int ExitCode => _process.ExitCode;

    /// <summary>The last line starting with <paramref name="prefix"/> among the recent output (an ingest run's "Done: ..." summary).</summary>
    public string LastLineStartingWith(string prefix)
    {
        lock (_gate)
        {
            return _tail.LastOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal)) ?? "";
        }
    }

    public static HostProcess Start(string name, string dll, IEnumerable<string> args, string logDirectory, bool feedInput = false) =>
        StartProgram(name, "dotnet", [dll, .. args], logDirectory, feedInput: feedInput);

    /// <param name="feedInput">Keep stdin open for <see cref="Input"/>; otherwise it is closed at once, so nothing waits on it.</param>
    public static HostProcess StartProgram(string name, string program, IEnumerable<string> args, string logDirectory,
        IReadOnlyDictionary<string, string>? environment = null, bool feedInput = false)
    {
        var psi = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            // No byte-order mark: what is fed is read as a file (a CSV header must start with its first column's name).
            StandardInputEncoding = new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
        };
        foreach (var arg in args)
        {
            psi.ArgumentList.Add(arg);
        }
        psi.Environment["DOTNET_NOLOGO"] = "1";
        // The ingest command draws a progress display; keep it plain in logs.
        psi.Environment["TERM"] = "dumb";
        psi.Environment["NO_COLOR"] = "1";
        // Orleans' placement pipeline logs every placement at Information under "Polly"; keep logs readable.
        psi.Environment["ENRICHMENT_Logging__LogLevel__Polly"] = "Warning";
        const string tcmalloc = "/usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4";
        if (File.Exists(tcmalloc))
        {
            psi.Environment["LD_PRELOAD"] = tcmalloc;
        }
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            psi.Environment[key] = value;
        }
        var logFile = Path.Combine(logDirectory, name + ".log");
        var log = new StreamWriter(logFile) { AutoFlush = true };
        var process = new Process { StartInfo = psi, EnableRaisingEvents = true };
        var host = new HostProcess(name, process, log, logFile);
        process.OutputDataReceived += (_, e) => host.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => host.OnLine(e.Data);
        process.Start();
        if (feedInput)
        {
            host.Input = process.StandardInput;
        }
        else
        {
            process.StandardInput.Close();
        }
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return host;
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_gate)
        {
            _log.WriteLine(line);
            _tail.Enqueue(line);
            if (_tail.Count > TailLines)
            {
                _tail.Dequeue();
            }
            foreach (var waiter in _waiters.Where(w => w.Pattern.IsMatch(line)).ToList())
            {
                waiter.Seen.TrySetResult();
                _waiters.Remove(waiter);
            }
        }
    }

    /// <summary>Completes when the process prints a line matching <paramref name="pattern"/>; fails if it exits first.</summary>
    public async Task WaitForLineAsync(string pattern, TimeSpan timeout)
    {
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            _waiters.Add((new Regex(pattern), seen));
        }
        var exited = _process.WaitForExitAsync();
        var first = await Task.WhenAny(seen.Task, exited, Task.Delay(timeout));
        if (first == exited && !seen.Task.IsCompleted)
        {
            throw new InvalidOperationException($"{Name} exited ({_process.ExitCode}) before printing /{pattern}/; see its log");
        }
        if (first != seen.Task && !seen.Task.IsCompleted)
        {
            throw new TimeoutException($"{Name} did not print /{pattern}/ within {timeout}");
        }
    }

    /// <summary>Completes when the process exits, however that happens.</summary>
    public Task ExitedAsync() => _process.WaitForExitAsync();

    public async Task<int> WaitForExitAsync(CancellationToken ct)
    {
        await _process.WaitForExitAsync(ct);
        _process.WaitForExit(); // flush the output handlers
        return _process.ExitCode;
    }

    /// <summary>SIGKILL: the process gets no chance to leave the cluster or flush anything.</summary>
    public void Kill()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    /// <summary>SIGTERM: the process is asked to stop.</summary>
    public async Task TerminateAsync()
    {
        using var term = Process.Start("kill", ["-TERM", _process.Id.ToString()])!;
        await term.WaitForExitAsync();
    }

    /// <summary>The matching line's first group, from the recent output (an address the process printed).</summary>
    public string? Find(string pattern)
    {
        var regex = new Regex(pattern);
        lock (_gate)
        {
            return _tail.Select(l => regex.Match(l)).LastOrDefault(m => m.Success)?.Groups[1].Value;
        }
    }

    /// <summary>Asks the process to stop (SIGTERM), then makes sure.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            Input?.Close();
        }
        catch (IOException)
        {
            // The reader is gone already (broken pipe).
        }
        if (!_process.HasExited)
        {
            await TerminateAsync();
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await _process.WaitForExitAsync(grace.Token);
            }
            catch (OperationCanceledException)
            {
                Kill();
                await _process.WaitForExitAsync();
            }
        }
        _process.WaitForExit(); // flush the output handlers before the log closes
        lock (_gate)
        {
            _log.Dispose();
        }
        _process.Dispose();
    }
}
