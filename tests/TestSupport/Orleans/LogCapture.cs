using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Enrichment.TestSupport;

/// <summary>
/// Counts what one silo logs (Information and above), so tests can assert that logs stay proportionate and that a
/// message appeared a given number of times. Keeps counts, not lines: a storm cannot exhaust the test's memory.
/// </summary>
public sealed class LogCapture : ILoggerProvider
{
    private readonly ConcurrentDictionary<string, int> _byMessage = new();
    private long _total;

    public long Total => Interlocked.Read(ref _total);

    /// <summary>How many logged messages contained <paramref name="fragment"/>.</summary>
    public int Count(string fragment) => _byMessage.Where(kv => kv.Key.Contains(fragment, StringComparison.Ordinal)).Sum(kv => kv.Value);

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void Dispose()
    {
    }

    private void Record(string message)
    {
        Interlocked.Increment(ref _total);
        // Distinct texts are bounded so a message carrying ids cannot grow the dictionary without limit.
        var key = message.Length > 200 ? message[..200] : message;
        if (_byMessage.Count < 10_000 || _byMessage.ContainsKey(key))
        {
            _byMessage.AddOrUpdate(key, 1, (_, n) => n + 1);
        }
    }

    private sealed class Logger(LogCapture capture) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                capture.Record(formatter(state, exception));
            }
        }
    }
}
