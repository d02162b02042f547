using Spectre.Console;

namespace Enrichment.Client.Ingest;

/// <summary>The `ingest` command's console side: a progress bar and the rejected events with reasons.</summary>
public static class IngestCommand
{
    public static async Task<IngestTally> RunAsync(CatalogIngestor ingestor, IngestSources sources, CancellationToken ct)
    {
        IngestTally? tally = null;
        var rejected = new System.Collections.Concurrent.ConcurrentQueue<IngestResult>();
        await AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new SpinnerColumn(), new ElapsedTimeColumn())
            .StartAsync(async progress =>
            {
                var task = progress.AddTask($"Ingesting {Markup.Escape(sources.Description)}", maxValue: double.MaxValue);
                var done = 0;
                tally = await ingestor.IngestAsync(sources, result =>
                {
                    var n = Interlocked.Increment(ref done);
                    task.Description = $"Ingested {n} events";
                    if (result.Status is IngestStatus.Rejected or IngestStatus.Failed)
                    {
                        rejected.Enqueue(result);
                    }
                }, ct);
                task.StopTask();
            });
        foreach (var r in rejected)
        {
            AnsiConsole.MarkupLineInterpolated($"[yellow]{r.Status}[/] {r.Source}: {r.Reason}");
        }
        AnsiConsole.WriteLine($"Done: {tally}");
        return tally!;
    }
}
