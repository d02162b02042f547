using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Enrichment.Evaluation;
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
        var input = new Option<string?>("--input") { Description = "photo | photo+name (default: every input the model takes, each reported)" };
        var batch = new Option<int>("--batch-size") { DefaultValueFactory = _ => 128 };
        var perClass = new Option<bool>("--per-class") { Description = "print the per-class table of every head", DefaultValueFactory = _ => true };
        var noCaptions = new Option<bool>("--no-captions") { Description = "skip caption decoding and BLEU" };
        var report = new Option<string>("--report") { Description = "write the quality report as JSON here", DefaultValueFactory = _ => "quality-report.json" };
        var confusionDir = new Option<string?>("--confusion-dir") { Description = "write <mode>.<head>.confusion.csv here (default: beside the report)" };
        var targetPrecision = new Option<double>("--target-precision") { Description = "auto-apply: precision the threshold must reach (lower 95 % bound)", DefaultValueFactory = _ => AutoApplyTarget.Default.Precision };
        var minRows = new Option<int>("--min-rows") { Description = "auto-apply: rows the threshold must keep", DefaultValueFactory = _ => AutoApplyTarget.Default.MinRows };
        var record = new Option<bool>("--record-thresholds") { Description = "also record the auto-apply thresholds in the checkpoint's manifest (the cluster serves them until it measures its own on more rows)" };
        var device = new Option<string?>("--device");
        var threads = new Option<int?>("--threads");
        var cmd = new Command("test", "Quality report of a checkpoint on held-out rows: top-1/top-5, per-class table, confusions, calibration (ECE), auto-apply thresholds, BLEU-1..4.")
        {
            checkpoint, catalog, images, part, input, batch, perClass, noCaptions, report, confusionDir, targetPrecision, minRows, record, device, threads,
        };
        cmd.SetAction((pr, ct) => Task.FromResult(Run(pr, ct)));
        int Run(ParseResult pr, CancellationToken ct)
        {
            if (CliInputs.Missing("test", ("checkpoint", pr.GetValue(checkpoint), InputKind.Directory), ("catalogue", pr.GetValue(catalog), InputKind.File),
                    ("image", pr.GetValue(images), InputKind.Directory)) is { } missing)
            {
                return missing;
            }
            TorchRuntime.Initialize(pr.GetValue(threads));
            var dir = pr.GetValue(checkpoint)!;
            var split = pr.GetValue(part)!;
            var rows = CliData.ReadCatalog(pr.GetValue(catalog)!, pr.GetValue(images)!);
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var modes = pr.GetValue(input) is { } i ? new[] { ModelInputs.Parse(i) } : null;
            var target = new AutoApplyTarget(pr.GetValue(targetPrecision), pr.GetValue(minRows));
            var (m, quality, results) = TrainingPipeline.Report(dir, pr.GetValue(device), pr.GetValue(images)!,
                manifest => split == "evaluation"
                    ? rows.Where(r => EvaluationSet.Contains(r.Id.ToString(CultureInfo.InvariantCulture), new EvaluationOptions())).ToList()
                    : DatasetSplit.Create(rows, manifest.Split ?? new SplitOptions()).Part(split),
                target, modes: modes, rowsDescription: split == "evaluation" ? "the evaluation set" : $"the {split} split",
                batchSize: pr.GetValue(batch), captions: !pr.GetValue(noCaptions), loaded: CliData.ReportLoaded, cancellationToken: ct);
            AnsiConsole.MarkupLine($"[grey]evaluated {quality.Rows:N0} images in {clock.Elapsed.TotalSeconds:F1}s; checkpoint {dir} (epoch {m.Epoch}, sha256 {m.WeightsSha256[..12]}, inputs {string.Join('+', m.Inputs)})[/]");

            var summary = new Table().AddColumns("input", "head", "classes", "top-1", "top-5", "ECE", "auto-apply threshold", "coverage", "precision (95 % lower)");
            foreach (var mode in quality.Modes)
                foreach (var a in mode.Attributes)
                    summary.AddRow(mode.Input, a.Attribute, a.Labels.Count.ToString(CultureInfo.InvariantCulture), $"{a.Top1:P2}", $"{a.Top5:P2}", $"{a.Ece:P2}",
                        a.AutoApply.Threshold is { } t ? $"{t:F3}" : "none", $"{a.AutoApply.Coverage:P1}",
                        a.AutoApply.Threshold is null ? "-" : $"{a.AutoApply.Precision:P2} ({a.AutoApply.PrecisionLowerBound:P2})");
            AnsiConsole.Write(summary);
            // Plain, grep-able lines for scripts and docs.
            foreach (var mode in quality.Modes)
                foreach (var a in mode.Attributes)
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"RESULT {split} {mode.Input} {a.Attribute} top1={a.Top1:F4} top5={a.Top5:F4} ece={a.Ece:F4} threshold={(a.AutoApply.Threshold is { } t ? t.ToString("F4", CultureInfo.InvariantCulture) : "none")} coverage={a.AutoApply.Coverage:F4} precision={a.AutoApply.Precision:F4} lower={a.AutoApply.PrecisionLowerBound:F4} n={a.Rows}"));

            foreach (var (mode, r) in results)
            {
                if (r.Captions is { } bleu)
                {
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"RESULT {split} {ModelInputs.Describe(mode)} caption BLEU-1={bleu.Score(1):F4} BLEU-2={bleu.Score(2):F4} BLEU-3={bleu.Score(3):F4} BLEU-4={bleu.Score(4):F4} n={bleu.Count}"));
                    var captions = new Table().AddColumns("reference", "generated");
                    foreach (var (reference, generated) in r.CaptionSamples) captions.AddRow(Markup.Escape(reference), Markup.Escape(generated));
                    AnsiConsole.Write(captions);
                }
            }

            var reportPath = Path.GetFullPath(pr.GetValue(report)!);
            Directory.CreateDirectory(Path.GetDirectoryName(reportPath)!);
            File.WriteAllText(reportPath, JsonSerializer.Serialize(quality, CliData.ReportJson));
            var confusionOut = pr.GetValue(confusionDir) ?? Path.GetDirectoryName(reportPath)!;
            Directory.CreateDirectory(confusionOut);
            foreach (var (mode, r) in results)
            {
                foreach (var (name, metrics) in Heads(r))
                {
                    if (pr.GetValue(perClass))
                    {
                        var t = new Table().Title($"{ModelInputs.Describe(mode)} {name}: per class").AddColumns("class", "support", "precision", "recall", "F1");
                        foreach (var c in metrics.PerClass().OrderByDescending(c => c.Support))
                            t.AddRow(Markup.Escape(c.Label), c.Support.ToString(CultureInfo.InvariantCulture), $"{c.Precision:P1}", $"{c.Recall:P1}", $"{c.F1:F3}");
                        AnsiConsole.Write(t);
                    }
                    var conf = new Table().Title($"{ModelInputs.Describe(mode)} {name}: most frequent confusions").AddColumns("actual", "predicted", "count");
                    foreach (var (a, p, n) in metrics.TopConfusions(10)) conf.AddRow(Markup.Escape(a), Markup.Escape(p), n.ToString(CultureInfo.InvariantCulture));
                    AnsiConsole.Write(conf);
                    metrics.WriteConfusionCsv(Path.Combine(confusionOut, $"{ModelInputs.Describe(mode)}.{name}.confusion.csv"));
                }
            }
            if (pr.GetValue(record))
            {
                var measuredOn = $"{quality.RowsDescription} ({quality.Rows:N0} rows)";
                Checkpoint.UpdateManifest(dir, manifest => manifest with
                {
                    AutoApply = quality.Modes.SelectMany(mode => mode.Attributes.Select(a => new RecordedThreshold(mode.Input, a.Attribute, a.AutoApply, measuredOn))).ToList(),
                });
                AnsiConsole.MarkupLine($"[grey]auto-apply thresholds recorded in {Markup.Escape(Path.Combine(dir, Checkpoint.ManifestFile))}[/]");
            }
            AnsiConsole.MarkupLine($"[grey]quality report: {Markup.Escape(reportPath)}; confusion matrices: {Markup.Escape(confusionOut)}/<input>.<head>.confusion.csv[/]");
            return 0;
        }
        return cmd;
    }

    private static IEnumerable<(string, ClassificationMetrics)> Heads(EvaluationResult r) =>
        new[] { ("type", r.Type), ("colour", r.Colour), ("brand", r.Brand) };
}
