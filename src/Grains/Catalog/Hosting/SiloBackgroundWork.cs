namespace Enrichment.Grains.Hosting;

/// <summary>
/// Work a silo runs beside its grains from the moment it is active until it stops: started on a thread-pool thread,
/// cancelled when the silo stops, and waited for as long as the stop allows.
/// </summary>
public abstract class SiloBackgroundWork : ILifecycleParticipant<ISiloLifecycle>
{
    private readonly CancellationTokenSource _stopping = new();
    private Task _running = Task.CompletedTask;

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(GetType().Name, ServiceLifecycleStage.Active, StartAsync, StopAsync);

    /// <summary>The work; <paramref name="stopping"/> is cancelled when the silo stops.</summary>
    protected abstract Task RunAsync(CancellationToken stopping);

    /// <summary>Whether this silo runs the work at all (decided once, at start).</summary>
    protected virtual bool RunsOnThisSilo => true;

    /// <summary>Waits for the timer's next tick; false once the silo stops.</summary>
    protected static async Task<bool> NextTickAsync(PeriodicTimer timer, CancellationToken stopping)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stopping);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private Task StartAsync(CancellationToken ct)
    {
        if (RunsOnThisSilo)
        {
            _running = Task.Run(() => RunAsync(_stopping.Token));
        }
        return Task.CompletedTask;
    }

    private async Task StopAsync(CancellationToken ct)
    {
        await _stopping.CancelAsync();
        await _running.WaitAsync(ct).ContinueWith(_ => { }, TaskScheduler.Default);
    }
}
