using System.CommandLine;
using Enrichment.Models;
using Spectre.Console;

namespace Enrichment.ModelCli.Commands;

internal static class TestCommand
{
    public static Command Create()
    {
        var checkpoint = new Option<string>("--checkpoint") { Description = "checkpoint directory (manifest.json + weights.bin)", Required = true };
        var catalog = new Option<string>("--catalog") { Required = true };
        var images = new Option<string>("--images") { Required = true };
        var part = new Option<string>("--split")
        {
            Description = "train | valid | test (recomputed with the checkpoint's seed) | evaluation (the cluster's evaluation set, default seed and fraction)",
            DefaultValueFactory = _ => "test",
        };
        var batch = new Option<int>("--batch-size") { DefaultValueFactory = _ => 128 };
        var perClass = new Option<bool>("--per-class") { Description = "print the per-class table of every head", DefaultValueFactory = _ => true };
        var noCaptions = new Option<bool>("--no-captions") { Description = "skip caption decoding and BLEU" };
        var confusionDir = new Option<string?>("--confusion-dir") { Description = "write <head>.confusion.csv here (default: the checkpoint directory)" };
        var device = new Option<string?>("--device");
        var threads = new Option<int?>("--threads");
        var cmd = new Command("test", "Evaluate a checkpoint on the held-out split: top-1, top-5, per-class table, confusions, BLEU-1..4.")
        {
            checkpoint, catalog, images, part, batch, perClass, noCaptions, confusionDir, device, threads,
        };
        cmd.SetAction((pr, ct) => Task.FromResult(Run(pr, ct)));
        int Run(ParseResult pr, CancellationToken ct)
        {
            TorchRuntime.Initialize(pr.GetValue(threads));
            var dir = pr.GetValue(checkpoint)!;
            var rows = CliData.ReadCatalog(pr.GetValue(catalog)!, pr.GetValue(images)!);
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var evaluation = TrainingPipeline.Evaluate(dir, pr.GetValue(device), pr.GetValue(images)!,
                m => pr.GetValue(part) == "evaluation"
                    ? rows.Where(r => EvaluationSet.Contains(r.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), new EvaluationOptions())).ToList()
                    : DatasetSplit.Create(rows, m.Split ?? new SplitOptions()).Part(pr.GetValue(part)!),
                pr.GetValue(batch), captions: !pr.GetValue(noCaptions), loaded: CliData.ReportLoaded, cancellationToken: ct);
            var (m, r) = (evaluation.Manifest, evaluation.Result);
            AnsiConsole.MarkupLine($"[grey]evaluated {evaluation.Rows:N0} images in {clock.Elapsed.TotalSeconds:F1}s; checkpoint {dir} (epoch {m.Epoch}, sha256 {m.WeightsSha256[..12]})[/]");

            var summary = new Table().AddColumns("head", "classes", "top-1", "top-5");
            foreach (var (name, metrics) in Heads(r))
                summary.AddRow(name, metrics.Labels.Count.ToString(), $"{metrics.Top1:P2}", $"{metrics.Top5:P2}");
            AnsiConsole.Write(summary);
            // Plain, grep-able lines for scripts and docs.
            foreach (var (name, metrics) in Heads(r))
                Console.WriteLine($"RESULT {pr.GetValue(part)} {name} top1={metrics.Top1:F4} top5={metrics.Top5:F4} n={metrics.Total}");

            if (r.Captions is { } bleu)
            {
                Console.WriteLine($"RESULT {pr.GetValue(part)} caption BLEU-1={bleu.Score(1):F4} BLEU-2={bleu.Score(2):F4} BLEU-3={bleu.Score(3):F4} BLEU-4={bleu.Score(4):F4} n={bleu.Count}");
                var captions = new Table().AddColumns("reference", "generated");
                foreach (var (reference, generated) in r.CaptionSamples) captions.AddRow(Markup.Escape(reference), Markup.Escape(generated));
                AnsiConsole.Write(captions);
            }

            var confusionOut = pr.GetValue(confusionDir) ?? dir;
            Directory.CreateDirectory(confusionOut);
            foreach (var (name, metrics) in Heads(r))
            {
                if (pr.GetValue(perClass))
                {
                    var t = new Table().Title($"{name}: per class").AddColumns("class", "support", "precision", "recall", "F1");
                    foreach (var c in metrics.PerClass().OrderByDescending(c => c.Support))
                        t.AddRow(Markup.Escape(c.Label), c.Support.ToString(), $"{c.Precision:P1}", $"{c.Recall:P1}", $"{c.F1:F3}");
                    AnsiConsole.Write(t);
                }
                var conf = new Table().Title($"{name}: most frequent confusions").AddColumns("actual", "predicted", "count");
                foreach (var (a, p, n) in metrics.TopConfusions(10)) conf.AddRow(Markup.Escape(a), Markup.Escape(p), n.ToString());
                AnsiConsole.Write(conf);
                var csv = Path.Combine(confusionOut, $"{name}.confusion.csv");
                metrics.WriteConfusionCsv(csv);
            }
            AnsiConsole.MarkupLine($"[grey]confusion matrices: {confusionOut}/<head>.confusion.csv[/]");
            return 0;
        }
        return cmd;
    }

    private static IEnumerable<(string, ClassificationMetrics)> Heads(EvaluationResult r) =>
        new[] { ("type", r.Type), ("colour", r.Colour), ("brand", r.Brand) };
}
