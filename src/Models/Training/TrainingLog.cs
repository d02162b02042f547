using System.Globalization;

namespace Enrichment.Models;

/// <summary>One line of the training log: a training iteration or an end-of-epoch validation.</summary>
public sealed record TrainingLogEntry(string Kind, int Epoch, long Iteration, double Loss, double TypeAccuracy,
                                      double ColourAccuracy, double BrandAccuracy, double LearningRate, double Seconds);

/// <summary>
/// Tab-separated log, one line per iteration ("train") and per validation ("valid"), with a header:
/// kind, epoch, iteration, loss, type_acc, colour_acc, brand_acc, lr, seconds. Flushed per line so a
/// crashed or cancelled run still leaves a plottable log.
/// </summary>
public sealed class TrainingLogWriter : IDisposable
{
    public const string Header = "kind\tepoch\titeration\tloss\ttype_acc\tcolour_acc\tbrand_acc\tlr\tseconds";
    private readonly StreamWriter _writer;
    private readonly object _gate = new();

    public TrainingLogWriter(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        _writer = new StreamWriter(path, append: false) { AutoFlush = true };
        _writer.WriteLine(Header);
    }

    public void Write(TrainingLogEntry e)
    {
        var c = CultureInfo.InvariantCulture;
        lock (_gate)
            _writer.WriteLine(string.Join('\t', e.Kind, e.Epoch.ToString(c), e.Iteration.ToString(c), e.Loss.ToString("G6", c),
                e.TypeAccuracy.ToString("F4", c), e.ColourAccuracy.ToString("F4", c), e.BrandAccuracy.ToString("F4", c),
                e.LearningRate.ToString("G6", c), e.Seconds.ToString("F2", c)));
    }

    public void Dispose() => _writer.Dispose();
}

public static class TrainingLogReader
{
    public static IReadOnlyList<TrainingLogEntry> Read(string path)
    {
        var c = CultureInfo.InvariantCulture;
        var entries = new List<TrainingLogEntry>();
        foreach (var line in File.ReadLines(path))
        {
            if (line.Length == 0 || line.StartsWith("kind", StringComparison.Ordinal)) continue;
            var f = line.Split('\t');
            if (f.Length < 9) continue; // torn last line of a killed run
            entries.Add(new TrainingLogEntry(f[0], int.Parse(f[1], c), long.Parse(f[2], c), double.Parse(f[3], c),
                double.Parse(f[4], c), double.Parse(f[5], c), double.Parse(f[6], c), double.Parse(f[7], c), double.Parse(f[8], c)));
        }
        return entries;
    }
}
