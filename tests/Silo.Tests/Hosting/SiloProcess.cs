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
