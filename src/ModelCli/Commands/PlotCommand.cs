using System.CommandLine;
using Enrichment.Models;

namespace Enrichment.ModelCli.Commands;

internal static class PlotCommand
{
    public static Command Create()
    {
        var log = new Option<string>("--log") { Description = "train.log.tsv written by `train`", Required = true };
        var output = new Option<string?>("--out") { Description = "PNG path (default: next to the log, learning-curve.png)" };
        var cmd = new Command("plot", "Draw the learning curve (training loss, train/valid accuracy) as a PNG.") { log, output };
        cmd.SetAction(pr =>
        {
            var path = pr.GetValue(log)!;
            if (CliInputs.Missing("plot", ("training log", path, InputKind.File)) is { } missing)
            {
                return missing;
            }
            var entries = TrainingLogReader.Read(path);
            if (entries.Count == 0) { Console.Error.WriteLine($"{path}: no log entries."); return 1; }
            var png = pr.GetValue(output) ?? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, "learning-curve.png");
            LearningCurvePlot.Write(entries, png);
            Console.WriteLine($"wrote {png} ({entries.Count} log entries)");
            return 0;
        });
        return cmd;
    }
}
