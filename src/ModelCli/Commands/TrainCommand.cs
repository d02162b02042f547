using System.CommandLine;
using System.Globalization;
using Enrichment.Evaluation;
using Enrichment.Models;
using Enrichment.Models.Networks;
using Spectre.Console;

namespace Enrichment.ModelCli.Commands;

internal static class TrainCommand
{
    public static Command Create()
    {
        var catalog = new Option<string>("--catalog") { Description = "styles.csv", Required = true };
        var images = new Option<string>("--images") { Description = "directory with <id>.jpg", Required = true };
        var output = new Option<string>("--out") { Description = "run directory (log, best/ checkpoint)", DefaultValueFactory = _ => Path.Combine("runs", DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)) };
        var arch = new Option<string>("--arch") { Description = "resnet18 (small, default) | resnet50", DefaultValueFactory = _ => "resnet18" };
        var height = new Option<int>("--height") { Description = "input height", DefaultValueFactory = _ => 80 };
        var width = new Option<int>("--width") { Description = "input width", DefaultValueFactory = _ => 60 };
        var epochs = new Option<int>("--epochs") { DefaultValueFactory = _ => 8 };
        var batch = new Option<int>("--batch-size") { DefaultValueFactory = _ => 64 };
        var lr = new Option<double>("--lr") { DefaultValueFactory = _ => 0.05 };
        var cosine = new Option<bool>("--cosine") { Description = "cosine LR decay over the planned epochs, on top of the plateau rule" };
        var budget = new Option<double?>("--time-budget") { Description = "minutes; stop starting iterations after this, then validate" };
        var seed = new Option<int>("--seed") { DefaultValueFactory = _ => 42 };
        var limit = new Option<int?>("--limit") { Description = "use a seeded random subset of N catalogue rows (quick runs)" };
        var minCount = new Option<int>("--min-class-count") { Description = "classes with fewer training rows map to 'other'", DefaultValueFactory = _ => 100 };
        var samplerPower = new Option<double>("--sampler-power") { Description = "1 = natural class frequencies, <1 oversamples rare types", DefaultValueFactory = _ => 1.0 };
        var baseWidth = new Option<int>("--base-width") { Description = "trunk width: 64 = torchvision, 32 = small CPU variant (1/4 FLOPs)", DefaultValueFactory = _ => 64 };
        var minWords = new Option<int>("--min-word-count") { Description = "caption words seen fewer times become <unk>", DefaultValueFactory = _ => 5 };
        var device = new Option<string?>("--device") { Description = "cpu | cuda | (auto)" };
        var threads = new Option<int?>("--threads") { Description = "libtorch intra-op threads (default: all cores)" };
        var excludeEvaluation = new Option<bool>("--exclude-evaluation")
        {
            Description = "leave out the cluster's evaluation set (same seeded rule as the cluster), so the checkpoint can be scored on it honestly",
        };
        var nameBuckets = new Option<int>("--name-buckets") { Description = "hash buckets of the name branch (words + bigrams); 0 = photo-only model", DefaultValueFactory = _ => new ModelOptions().NameBuckets };
        var nameDim = new Option<int>("--name-dim") { Description = "width of the name embedding", DefaultValueFactory = _ => new ModelOptions().NameDim };
        var nameDropout = new Option<double>("--name-dropout") { Description = "share of training rows whose name is dropped (modality dropout)", DefaultValueFactory = _ => new TrainerOptions().NameDropout };
        var labelSmoothing = new Option<double>("--label-smoothing") { Description = "label smoothing of the classification losses", DefaultValueFactory = _ => new TrainerOptions().LabelSmoothing };
        var augment = new Option<string>("--augment") { Description = "affine (crops, flips, small shifts and rotations; colour untouched) | flip | none", DefaultValueFactory = _ => "affine" };
        var plateauDivisor = new Option<double>("--plateau-divisor") { Description = "divide the LR by this after a non-improving epoch; 1 = off (a pure cosine schedule)", DefaultValueFactory = _ => new TrainerOptions().PlateauDivisor };
        var warmup = new Option<int>("--warmup") { Description = "linear warm-up iterations", DefaultValueFactory = _ => new TrainerOptions().WarmupIterations };
        var initFrom = new Option<string?>("--init-from") { Description = "start from this checkpoint's weights (same catalogue, split and options), e.g. for a second, shorter schedule" };
        var evaluationSeed = new Option<int>("--evaluation-seed") { DefaultValueFactory = _ => EvaluationSet.DefaultSeed };
        var evaluationFraction = new Option<double>("--evaluation-fraction") { DefaultValueFactory = _ => EvaluationSet.DefaultFraction };

        var cmd = new Command("train", "Train the multi-task model (colour, brand, type heads + caption annotator).")
        {
            catalog, images, output, arch, height, width, epochs, batch, lr, cosine, budget, seed, limit, minCount, samplerPower, baseWidth, minWords, device, threads,
            excludeEvaluation, evaluationSeed, evaluationFraction, nameBuckets, nameDim, nameDropout, labelSmoothing, augment, plateauDivisor, warmup, initFrom,
        };
        cmd.SetAction((pr, ct) => Task.FromResult(Run(pr, ct)));
        int Run(ParseResult pr, CancellationToken ct)
        {
            if (CliInputs.Missing("train", ("catalogue", pr.GetValue(catalog), InputKind.File), ("image", pr.GetValue(images), InputKind.Directory),
                    ("--init-from checkpoint", pr.GetValue(initFrom), InputKind.Directory)) is { } missing)
            {
                return missing;
            }
            TorchRuntime.Initialize(pr.GetValue(threads));
            var outDir = pr.GetValue(output)!;
            Directory.CreateDirectory(outDir);
            var plan = new TrainingPlan
            {
                Model = new ModelOptions
                {
                    Architecture = CliData.ParseArchitecture(pr.GetValue(arch)!),
                    InputHeight = pr.GetValue(height), InputWidth = pr.GetValue(width), BaseWidth = pr.GetValue(baseWidth),
                    NameBuckets = pr.GetValue(nameBuckets), NameDim = pr.GetValue(nameDim),
                },
                Trainer = new TrainerOptions
                {
                    Epochs = pr.GetValue(epochs), BatchSize = pr.GetValue(batch), LearningRate = pr.GetValue(lr),
                    Cosine = pr.GetValue(cosine), Seed = pr.GetValue(seed), SamplerPower = pr.GetValue(samplerPower),
                    TimeBudget = pr.GetValue(budget) is double m ? TimeSpan.FromMinutes(m) : null,
                    NameDropout = pr.GetValue(nameDropout), LabelSmoothing = pr.GetValue(labelSmoothing),
                    Augment = pr.GetValue(augment) != "none",
                    PhotoAugmentation = pr.GetValue(augment) == "flip" ? PhotoAugmentation.FlipOnly : PhotoAugmentation.Default,
                    PlateauDivisor = pr.GetValue(plateauDivisor), WarmupIterations = pr.GetValue(warmup),
                },
                Split = new SplitOptions(pr.GetValue(seed), Limit: pr.GetValue(limit)),
                MinClassCount = pr.GetValue(minCount),
                MinWordCount = pr.GetValue(minWords),
                Device = pr.GetValue(device),
                InitialCheckpoint = pr.GetValue(initFrom),
            };
            var rows = CliData.ReadCatalog(pr.GetValue(catalog)!, pr.GetValue(images)!);
            if (pr.GetValue(excludeEvaluation))
            {
                var evaluation = new EvaluationOptions(pr.GetValue(evaluationSeed), pr.GetValue(evaluationFraction));
                var kept = rows.Where(r => !EvaluationSet.Contains(r.Id.ToString(CultureInfo.InvariantCulture), evaluation)).ToList();
                AnsiConsole.MarkupLine($"[grey]evaluation set:[/] {rows.Count - kept.Count:N0} rows left out (seed {evaluation.Seed}, fraction {evaluation.Fraction})");
                rows = kept;
            }
            // Checked before any photo is decoded: a head left with "other" alone gives every photo one answer, and
            // validation then reads 100 % for a model that learnt nothing.
            if (TrainingPlan.CollapsedHead(DatasetSplit.Create(rows, plan.Split).Train, plan) is { } collapsed)
            {
                return CliInputs.Fail("train", collapsed.Describe("--min-class-count"));
            }
            var data = TrainingPipeline.Prepare(rows, pr.GetValue(images)!, plan, CliData.ReportLoaded, ct);
            var vocab = data.Vocabularies;
            AnsiConsole.MarkupLine($"[grey]split:[/] train {data.Split.Train.Count:N0} / valid {data.Split.Valid.Count:N0} / test {data.Split.Test.Count:N0} (seed {plan.Split.Seed})");
            AnsiConsole.MarkupLine($"[grey]classes:[/] type {vocab.Labels.Type.Count}, colour {vocab.Labels.Colour.Count}, brand {vocab.Labels.Brand.Count} (incl. 'other'); vocabulary {vocab.Words.Count} words; brand lexicon {vocab.Brands.Lexicon.Count}");
            var logPath = Path.Combine(outDir, "train.log.tsv");
            using var log = new TrainingLogWriter(logPath);
            var result = ProgressView.Run(p => TrainingPipeline.Train(data, plan, outDir, log, p,
                describe: d => AnsiConsole.MarkupLine($"[grey]model:[/] {Markup.Escape(d)}"), cancellationToken: ct));
            AnsiConsole.MarkupLine($"[green]done[/] in {result.Elapsed:hh\\:mm\\:ss}: {result.EpochsRun} epochs, best epoch {result.BestEpoch} (valid score {result.BestScore:P2}){(result.StoppedByTimeBudget ? ", stopped by time budget" : "")}");
            AnsiConsole.MarkupLine($"checkpoint: {result.BestCheckpoint}\nlog: {logPath}");
            return 0;
        }
        return cmd;
    }
}
