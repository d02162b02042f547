using Microsoft.Extensions.Logging;

namespace Enrichment.Abstractions.Diagnostics;

/// <summary>
/// Keeps logs proportionate when the same thing fails over and over (storage down, no model silo): the first
/// failure of a kind is logged (with its stack trace only the very first time), repeats within
/// <c>interval</c> are counted, and the count is written as one summary line when the next interval begins.
/// </summary>
public sealed class RepeatedFailureLog(ILogger logger, TimeSpan interval, TimeProvider? time = null)
{
    /// <summary>Distinct kinds tracked at most; callers name a handful, this only guards against a runaway key.</summary>
    private const int MaxKinds = 64;
    private const int MaxErrorLength = 300;

    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly object _gate = new();
    private readonly Dictionary<string, Window> _windows = new(StringComparer.Ordinal);

    public void Report(string what, Exception error)
    {
        var kind = $"{what}|{error.GetBaseException().GetType().Name}";
        var message = TextRules.Truncate(error.GetBaseException().Message, MaxErrorLength);
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            if (_windows.TryGetValue(kind, out var window) && now - window.Start < interval)
            {
                window.Repeats++;
                window.LastError = message;
                return;
            }
            if (window is { Repeats: > 0 })
            {
                logger.LogWarning("{What} failed {Repeats} more times in {Interval}; last error: {Error}",
                    what, window.Repeats, interval, window.LastError);
            }
            if (window is null)
            {
                if (_windows.Count >= MaxKinds)
                {
                    _windows.Clear();
                }
                logger.LogWarning(error, "{What} failed: {Error}", what, message);
            }
            else
            {
                logger.LogWarning("{What} failed: {Error}", what, message);
            }
            _windows[kind] = new Window { Start = now, LastError = message };
        }
    }

    private sealed class Window
    {
        public DateTimeOffset Start { get; init; }
        public int Repeats { get; set; }
        public string LastError { get; set; } = "";
    }
}
