using Enrichment.Abstractions.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Enrichment.Grains.Tests.Diagnostics;

[Trait("Category", "Unit")]
public sealed class RepeatedFailureLogTests
{
    [Fact]
    public void A_thousand_identical_failures_make_one_line_with_a_stack_trace_then_one_summary_per_interval()
    {
        var time = new ManualTime();
        var logger = new ListLogger();
        var log = new RepeatedFailureLog(logger, TimeSpan.FromSeconds(30), time);
        var failure = Thrown(new TimeoutException("storage did not answer"));

        for (var i = 0; i < 1000; i++)
        {
            log.Report("Writing a product", failure);
        }
        Assert.Single(logger.Lines);
        Assert.NotNull(logger.Lines[0].Exception);

        time.Now += TimeSpan.FromSeconds(31);
        log.Report("Writing a product", failure);
        Assert.Equal(3, logger.Lines.Count);
        Assert.Contains("999 more times", logger.Lines[1].Message);
        Assert.All(logger.Lines.Skip(1), l => Assert.Null(l.Exception));

        // Another kind of failure is reported on its own.
        log.Report("Writing a product", Thrown(new InvalidOperationException(new string('x', 5000))));
        Assert.Equal(4, logger.Lines.Count);
        Assert.True(logger.Lines[3].Message.Length < 500, "a sender-sized message is cut");
    }

    private static Exception Thrown(Exception error)
    {
        try
        {
            throw error;
        }
        catch (Exception caught)
        {
            return caught;
        }
    }

    private sealed class ManualTime : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => Now;
    }

    private sealed class ListLogger : ILogger
    {
        public List<(string Message, Exception? Exception)> Lines { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Lines.Add((formatter(state, exception), exception));
    }
}
