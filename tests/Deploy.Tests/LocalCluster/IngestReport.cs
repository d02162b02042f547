using System.Text.RegularExpressions;

namespace Enrichment.Deploy.Tests.LocalCluster;

/// <summary>
/// What an ingest run said about its events, read from its log: the summary, and the events it reported failed, each
/// as "Failed SOURCE:ROW: reason" (ROW counts the CSV's lines, header included). A failed event was never
/// acknowledged; every other one was, and the cluster owes it.
/// </summary>
public static partial class IngestReport
{
    [GeneratedRegex(@"^Failed \S+:(\d+): ")]
    private static partial Regex FailedRow();

    [GeneratedRegex(@"^Done: .*\bfailed (\d+)")]
    private static partial Regex FailedCount();

    /// <summary>The products of the events the run reported failed; checked against the summary's count, so a change
    /// of the report's wording fails here instead of silently excusing nothing or everything.</summary>
    public static IReadOnlySet<string> FailedProducts(string logFile, IReadOnlyList<CatalogueRows.Row> catalog)
    {
        var lines = ReadShared(logFile);
        var failed = lines.Select(l => FailedRow().Match(l)).Where(m => m.Success)
            .Select(m => catalog[int.Parse(m.Groups[1].Value) - 2].Id).ToHashSet();
        var summary = lines.Select(l => FailedCount().Match(l)).LastOrDefault(m => m.Success)
            ?? throw new InvalidOperationException($"no summary in {logFile}");
        if (failed.Count != int.Parse(summary.Groups[1].Value))
        {
            throw new InvalidOperationException($"{logFile} reports {summary.Groups[1].Value} failed events but lists {failed.Count}");
        }
        return failed;
    }

    // The log is still open for writing (the process's output handler owns it until disposal).
    private static List<string> ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        var lines = new List<string>();
        while (reader.ReadLine() is { } line)
        {
            lines.Add(line);
        }
        return lines;
    }
}
