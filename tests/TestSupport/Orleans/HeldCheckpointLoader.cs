using Enrichment.Grains.Serving;
using Enrichment.Models;

namespace Enrichment.TestSupport;

/// <summary>
/// The production loader behind a gate the test holds: while held, a load waits (as on a silo stalled on a large
/// checkpoint or a failing device), so "this silo does not answer in time" is a state the test sets, not a race with
/// the machine's speed. Open until <see cref="Hold"/>, so the silo's startup load goes through.
/// </summary>
public sealed class HeldCheckpointLoader(ICheckpointLoader inner) : ICheckpointLoader
{
    private readonly object _gate = new();
    private TaskCompletionSource _open = Opened();

    /// <summary>Loads started from now on wait until <see cref="Release"/>.</summary>
    public void Hold()
    {
        lock (_gate)
        {
            if (_open.Task.IsCompleted)
            {
                _open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }
    }

    public void Release()
    {
        lock (_gate)
        {
            _open.TrySetResult();
        }
    }

    public async Task<EnrichmentModel> LoadAsync(string checkpointDir, CancellationToken ct)
    {
        Task open;
        lock (_gate)
        {
            open = _open.Task;
        }
        await open.WaitAsync(ct);
        return await inner.LoadAsync(checkpointDir, ct);
    }

    private static TaskCompletionSource Opened()
    {
        var open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        open.SetResult();
        return open;
    }
}
