using System.Diagnostics;

namespace Enrichment.Deploy.Tests.LocalCluster;

/// <summary>
/// SIGKILLs the cluster's processes if the test host dies without disposing them (killed by a CI timeout, crashed):
/// silos whose PostgreSQL is gone would otherwise retry forever and hold their ports. A detached shell (setsid, so a
/// process-group kill of the test host spares it) polls the host's pid and then kills what a pid file lists; the
/// file holds only processes still running, so a pid the system has since reused for someone else is not touched.
/// PostgreSQL has its own watchdog (<see cref="Enrichment.TestSupport.PostgresServer"/>).
/// </summary>
public sealed class OrphanWatchdog : IDisposable
{
    private readonly string _pidFile = Path.Combine(Path.GetTempPath(), $"enrichment-local-cluster-{Environment.ProcessId}-{Guid.NewGuid():N}.pids");
    private readonly HashSet<int> _pids = new();
    private readonly Process? _shell;
    private bool _disposed;

    public OrphanWatchdog()
    {
        File.WriteAllText(_pidFile, "");
        var script =
            $"while kill -0 {Environment.ProcessId} 2>/dev/null; do sleep 2; done; " +
            $"kill -KILL $(cat '{_pidFile}') 2>/dev/null; rm -f '{_pidFile}'";
        try
        {
            var psi = new ProcessStartInfo("setsid") { UseShellExecute = false, RedirectStandardInput = true };
            foreach (var arg in new[] { "sh", "-c", script })
            {
                psi.ArgumentList.Add(arg);
            }
            _shell = Process.Start(psi);
            _shell?.StandardInput.Close();
        }
        catch (Exception)
        {
            _shell = null; // no setsid: disposing still stops everything in a run that ends normally
        }
    }

    /// <summary>Adds a process to what is killed, and takes it off again once it exits.</summary>
    public void Watch(HostProcess process)
    {
        var id = process.Id;
        Update(pids => pids.Add(id));
        _ = process.ExitedAsync().ContinueWith(_ => Update(pids => pids.Remove(id)), TaskScheduler.Default);
    }

    private void Update(Func<HashSet<int>, bool> change)
    {
        lock (_pids)
        {
            if (!_disposed && change(_pids))
            {
                // Written whole and renamed: the shell never reads half a list.
                var next = _pidFile + ".next";
                File.WriteAllLines(next, _pids.Select(p => p.ToString()));
                File.Move(next, _pidFile, overwrite: true);
            }
        }
    }

    public void Dispose()
    {
        lock (_pids)
        {
            _disposed = true;
        }
        try
        {
            if (_shell is { HasExited: false })
            {
                _shell.Kill();
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        _shell?.Dispose();
        File.Delete(_pidFile);
    }
}
