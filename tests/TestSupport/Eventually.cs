using System.Diagnostics;

namespace Enrichment.TestSupport;

/// <summary>
/// The one way a test waits for something the system does on its own (a lease lapsing, a silo converging, a product
/// being enriched): poll a condition until it holds or a deadline passes, then fail with what was awaited and what was
/// last seen. A plain exception, not an xunit assertion: this library has no xunit dependency, and any exception
/// escaping a test fails it. The deadline is generous on purpose: it bounds a hang, it is not a speed target.
/// </summary>
public static class Eventually
{
    /// <summary>How often a condition is polled unless the caller says otherwise.</summary>
    public static readonly TimeSpan DefaultPoll = TimeSpan.FromMilliseconds(100);

    /// <summary>Polls <paramref name="probe"/> until <paramref name="done"/> holds for its result, and returns that result.</summary>
    /// <param name="what">What is awaited, for the failure message ("the item to become due again").</param>
    /// <param name="describe">How the failure message shows the last result (default: its ToString, or the first items).</param>
    public static async Task<T> Get<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan timeout, string what, TimeSpan? poll = null,
        Func<T, string>? describe = null)
    {
        var clock = Stopwatch.StartNew();
        T last;
        while (!done(last = await probe()))
        {
            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"Timed out after {timeout.TotalSeconds:0.#} s waiting for {what}; last seen: {(describe ?? Describe)(last)}");
            }
            await Task.Delay(poll ?? DefaultPoll);
        }
        return last;
    }

    /// <summary>Polls <paramref name="condition"/> until it holds.</summary>
    public static Task True(Func<Task<bool>> condition, TimeSpan timeout, string what, TimeSpan? poll = null) =>
        Get(condition, ok => ok, timeout, what, poll);

    /// <summary>Polls a synchronous <paramref name="condition"/> until it holds.</summary>
    public static Task True(Func<bool> condition, TimeSpan timeout, string what, TimeSpan? poll = null) =>
        Get(() => Task.FromResult(condition()), ok => ok, timeout, what, poll);

    /// <summary>
    /// Runs <paramref name="attempt"/> until it completes without an exception that <paramref name="retryable"/> accepts
    /// (a call routed to a silo that died, a server still starting), and returns its result; any other exception, an
    /// assertion's included, fails at once. At the deadline the last failure is rethrown inside the timeout.
    /// </summary>
    public static async Task<T> Succeeds<T>(Func<Task<T>> attempt, Func<Exception, bool> retryable, TimeSpan timeout, string what,
        TimeSpan? poll = null)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return await attempt();
            }
            catch (Exception ex) when (retryable(ex))
            {
                if (clock.Elapsed > timeout)
                {
                    throw new TimeoutException($"Timed out after {timeout.TotalSeconds:0.#} s waiting for {what}; last failure: {ex.GetType().Name}: {ex.Message}", ex);
                }
            }
            await Task.Delay(poll ?? DefaultPoll);
        }
    }

    /// <summary>Runs <paramref name="attempt"/> until it completes without a retryable exception (see the overload with a result).</summary>
    public static Task Succeeds(Func<Task> attempt, Func<Exception, bool> retryable, TimeSpan timeout, string what, TimeSpan? poll = null) =>
        Succeeds(async () => { await attempt(); return true; }, retryable, timeout, what, poll);

    /// <summary>
    /// Runs a loop body until it says it is done; for loops that must end by themselves (draining a queue, paging
    /// through results) but would hang the run for the whole CI budget if a bug kept them going.
    /// </summary>
    public static async Task Loop(Func<Task<bool>> stepUntilDone, TimeSpan timeout, string what)
    {
        var clock = Stopwatch.StartNew();
        for (var steps = 1; !await stepUntilDone(); steps++)
        {
            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"Timed out after {timeout.TotalSeconds:0.#} s and {steps} steps waiting for {what}");
            }
        }
    }

    private static string Describe<T>(T value) => value switch
    {
        null => "null",
        string s => $"\"{s}\"",
        System.Collections.IEnumerable items and not string => $"[{string.Join(", ", items.Cast<object?>().Take(10))}]",
        _ => value.ToString() ?? "",
    };
}
