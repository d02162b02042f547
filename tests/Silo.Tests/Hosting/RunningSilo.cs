using System.Diagnostics;
using System.Text;

namespace Enrichment.Silo.Tests.Hosting;

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
