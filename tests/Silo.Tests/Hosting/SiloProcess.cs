using System.Diagnostics;
using System.Reflection;
using System.Text;
using Enrichment.TestSupport;

namespace Enrichment.Silo.Tests.Hosting;

/// <summary>The real silo executable (built beside the tests) run as its own process, with a deadline instead of a sleep.</summary>
public static class SiloProcess
{
    /// <summary>
    /// The silo as built in its own folder, in this test's configuration (the project reference has just built it):
    /// the copy beside the tests shares the test's dependency list, not the silo's, and does not start.
    /// </summary>
    public static string Dll { get; } = Path.Combine(RepoPaths.Root, "src", "Silo", "bin",
        typeof(SiloProcess).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug", "net10.0", "Enrichment.Silo.dll");

    /// <summary>Exit code and output, or a timeout exception if the silo is still running at the deadline (it started).</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(TimeSpan deadline, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        start.ArgumentList.Add(Dll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        // Nothing from the test's environment may configure this silo but the arguments.
        foreach (var name in Environment.GetEnvironmentVariables().Keys.Cast<string>().Where(n => n.StartsWith("ENRICHMENT_", StringComparison.Ordinal)))
        {
            start.Environment.Remove(name);
        }
        using var process = Process.Start(start)!;
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        process.StandardInput.Close();
        using var cts = new CancellationTokenSource(deadline);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            throw new TimeoutException($"the silo was still running after {deadline} (it started instead of refusing): {output}");
        }
        process.WaitForExit(); // flush the output handlers
        lock (output)
        {
            return (process.ExitCode, output.ToString());
        }
    }
}

/// <summary>A silo process left running until disposed (killed), for tests that talk to it.</summary>
public sealed class RunningSilo : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private RunningSilo(Process process) => _process = process;

    public string Output
    {
        get { lock (_output) return _output.ToString(); }
    }

    /// <summary>Starts the silo and returns once it logged that it is ready; throws with its output if it exits or the deadline passes.</summary>
    public static async Task<RunningSilo> StartAsync(TimeSpan deadline, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        start.ArgumentList.Add(SiloProcess.Dll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        foreach (var name in Environment.GetEnvironmentVariables().Keys.Cast<string>().Where(n => n.StartsWith("ENRICHMENT_", StringComparison.Ordinal)))
        {
            start.Environment.Remove(name);
        }
        var silo = new RunningSilo(new Process { StartInfo = start, EnableRaisingEvents = true });
        void Line(string? line)
        {
            if (line is null)
            {
                return;
            }
            lock (silo._output) silo._output.AppendLine(line);
            if (line.Contains("Silo ready", StringComparison.Ordinal))
            {
                silo._ready.TrySetResult();
            }
        }
        silo._process.OutputDataReceived += (_, e) => Line(e.Data);
        silo._process.ErrorDataReceived += (_, e) => Line(e.Data);
        silo._process.Exited += (_, _) => silo._ready.TrySetException(new InvalidOperationException("the silo exited before it was ready"));
        silo._process.Start();
        silo._process.BeginOutputReadLine();
        silo._process.BeginErrorReadLine();
        try
        {
            await silo._ready.Task.WaitAsync(deadline);
        }
        catch (Exception ex)
        {
            await silo.DisposeAsync();
            throw new InvalidOperationException($"{ex.Message}: {silo.Output}", ex);
        }
        return silo;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // already exited
        }
        await _process.WaitForExitAsync();
        _process.Dispose();
    }
}
