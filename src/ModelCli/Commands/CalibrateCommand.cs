using System.CommandLine;
using System.Globalization;
using Enrichment.Evaluation;
using Enrichment.Models;
using Spectre.Console;

namespace Enrichment.ModelCli.Commands;

/// <summary>
/// Fits the logit temperatures of a checkpoint on its own validation split and records them in its manifest. `train`
/// does this itself; this command calibrates a checkpoint trained before it did (or again).
/// </summary>
internal static class CalibrateCommand
{
    public static Command Create()
    {
        var checkpoint = new Option<string>("--checkpoint") { Description = "checkpoint directory (its manifest is updated; the weights are not touched)", Required = true };
        var catalog = new Option<string>("--catalog") { Required = true };
        var images = new Option<string>("--images") { Required = true };
        var excludeEvaluation = new Option<bool>("--exclude-evaluation") { Description = "the checkpoint was trained with --exclude-evaluation (recomputes the same split)" };
        var device = new Option<string?>("--device");
        var threads = new Option<int?>("--threads");
        var cmd = new Command("calibrate", "Fit per-head logit temperatures on the checkpoint's validation split (confidences that mean what they say).")
        {
            checkpoint, catalog, images, excludeEvaluation, device, threads,
        };
        cmd.SetAction((pr, ct) =>
        {
            if (CliInputs.Missing("calibrate", ("checkpoint", pr.GetValue(checkpoint), InputKind.Directory), ("catalogue", pr.GetValue(catalog), InputKind.File),
                    ("image", pr.GetValue(images), InputKind.Directory)) is { } missing)
            {
                return Task.FromResult(missing);
            }
            TorchRuntime.Initialize(pr.GetValue(threads));
            var dir = pr.GetValue(checkpoint)!;
            var manifest = Checkpoint.ReadManifest(dir);
            var rows = CliData.ReadCatalog(pr.GetValue(catalog)!, pr.GetValue(images)!);
            if (pr.GetValue(excludeEvaluation))
                rows = rows.Where(r => !EvaluationSet.Contains(r.Id.ToString(CultureInfo.InvariantCulture), new EvaluationOptions())).ToList();
            var split = DatasetSplit.Create(rows, manifest.Split ?? new SplitOptions());
            var vocab = Checkpoint.VocabulariesOf(manifest);
            var valid = LabeledSet.Build(split.Valid, pr.GetValue(images)!, manifest.Model, vocab, cancellationToken: ct);
            var updated = TrainingPipeline.Calibrate(dir, valid, TorchDevices.Select(pr.GetValue(device)), ct);
            foreach (var (key, t) in updated.Temperatures.OrderBy(k => k.Key, StringComparer.Ordinal))
                AnsiConsole.MarkupLine($"temperature {Markup.Escape(key)} = {t:F3}");
            AnsiConsole.MarkupLine($"[grey]fitted on {valid.Count:N0} validation rows; written to {Markup.Escape(Path.Combine(dir, Checkpoint.ManifestFile))}[/]");
            return Task.FromResult(0);
        });
        return cmd;
    }
}
