using Enrichment.Evaluation;
using Enrichment.Models.Networks;

namespace Enrichment.Models;

/// <summary>The labelled sets one run trains and validates on, and the label space learnt from its training rows.</summary>
public sealed record PreparedTraining(DatasetSplit Split, ModelVocabularies Vocabularies, LabeledSet Train, LabeledSet Valid);


/// <summary>
/// The one training and evaluation entry point: split -> vocabularies -> labelled sets -> network -> trainer, and a
/// checkpoint's score on rows of the caller's choosing. Devices are given by name, so callers outside this library
/// (the cluster's grains) never handle a TorchSharp type.
/// </summary>
public static class TrainingPipeline
{
    /// <summary>Called after each labelled set is decoded (name, set, decode time), for progress displays.</summary>
    public delegate void SetLoaded(string name, LabeledSet set, TimeSpan elapsed);

    public static PreparedTraining Prepare(IReadOnlyList<CatalogRow> rows, string imagesDir, TrainingPlan plan,
                                           SetLoaded? loaded = null, CancellationToken cancellationToken = default)
    {
        var split = DatasetSplit.Create(rows, plan.Split);
        var vocab = ModelVocabularies.Build(split.Train, plan.Vocabularies);
        var train = Load("train", split.Train, imagesDir, plan.Model, vocab, loaded, cancellationToken);
        var valid = Load("valid", split.Valid, imagesDir, plan.Model, vocab, loaded, cancellationToken);
        return new PreparedTraining(split, vocab, train, valid);
    }

    /// <summary>Trains a fresh network on <paramref name="data"/>; the best epoch's checkpoint lands in <paramref name="outputDir"/>.</summary>
    public static TrainingResult Train(PreparedTraining data, TrainingPlan plan, string outputDir, TrainingLogWriter? log = null,
                                       IProgress<TrainingProgress>? progress = null, Action<string>? describe = null,
                                       CancellationToken cancellationToken = default)
    {
        var device = TorchDevices.Select(plan.Device);
        var labels = data.Vocabularies.Labels;
        using var net = new FashionNet(plan.Model, labels.Colour.Count, labels.Brand.Count, labels.Type.Count, data.Vocabularies.Words.Count);
        if (plan.InitialCheckpoint is { } initial)
        {
            var manifest = Checkpoint.ReadManifest(initial);
            if (!manifest.TypeClasses.SequenceEqual(labels.Type.Classes) || !manifest.ColourClasses.SequenceEqual(labels.Colour.Classes))
                throw new ArgumentException($"{initial} was trained with other label spaces than these rows give; start from fresh weights.");
            net.load(Path.Combine(initial, manifest.WeightsFile), strict: true);
        }
        describe?.Invoke($"{plan.Model.Architecture} width {plan.Model.BaseWidth} {plan.Model.InputWidth}x{plan.Model.InputHeight}, " +
                         $"{net.parameters().Sum(p => p.numel()):N0} parameters, device {device}, {TorchSharp.torch.get_num_threads()} threads");
        var result = new Trainer(plan.Trainer).Train(net, data.Vocabularies, data.Train, data.Valid, device, outputDir, plan.Split, log, progress, cancellationToken);
        if (result.BestCheckpoint is { } best) Calibrate(best, data.Valid, device, cancellationToken);
        return result;
    }

    /// <summary>Fits the checkpoint's logit temperatures on <paramref name="valid"/> and records them in its manifest.</summary>
    public static CheckpointManifest Calibrate(string checkpointDir, LabeledSet valid, TorchSharp.torch.Device device, CancellationToken cancellationToken = default)
    {
        var checkpoint = Checkpoint.Load(checkpointDir, device);
        using var net = checkpoint.Network;
        var temperatures = Evaluator.FitTemperatures(net, valid, device, cancellationToken: cancellationToken);
        return Checkpoint.UpdateManifest(checkpointDir, m => m with { Temperatures = temperatures });
    }

    /// <summary>
    /// The checkpoint's quality report on the rows <paramref name="chooseRows"/> picks, in every input mode it takes
    /// (photo only, and photo + name for a model that reads names), with an auto-apply threshold per attribute.
    /// </summary>
    public static (CheckpointManifest Manifest, QualityReport Report, IReadOnlyList<(InputMode Mode, EvaluationResult Result)> Results) Report(
        string checkpointDir, string? device, string imagesDir, Func<CheckpointManifest, IReadOnlyList<CatalogRow>> chooseRows,
        AutoApplyTarget target, IReadOnlyDictionary<string, AutoApplyTarget>? perAttribute = null, IReadOnlyList<InputMode>? modes = null,
        string? rowsDescription = null, int batchSize = 128, bool captions = false, SetLoaded? loaded = null, CancellationToken cancellationToken = default)
    {
        var dev = TorchDevices.Select(device);
        var checkpoint = Checkpoint.Load(checkpointDir, dev);
        using var net = checkpoint.Network;
        var rows = chooseRows(checkpoint.Manifest);
        var set = Load("evaluation", rows, imagesDir, net.Options, checkpoint.Vocabularies, loaded, cancellationToken);
        var results = (modes ?? ModelInputs.ModesOf(net.Options))
            .Select(m => (m, Evaluator.Evaluate(net, checkpoint.Vocabularies, set, dev, batchSize, captions, m, checkpoint.Manifest.Temperatures,
                                                 cancellationToken: cancellationToken)))
            .ToList();
        var report = new QualityReport
        {
            ModelVersion = EnrichmentModel.VersionIdOf(checkpoint.Manifest.WeightsSha256),
            Rows = set.Count,
            RowsDescription = rowsDescription,
            Target = target,
            Modes = results.Select(r => QualityReports.Of(r.m, r.Item2, target, perAttribute)).ToList(),
        };
        return (checkpoint.Manifest, report, results);
    }

    private static LabeledSet Load(string name, IReadOnlyList<CatalogRow> rows, string imagesDir, ModelOptions model, ModelVocabularies vocab,
                                   SetLoaded? loaded, CancellationToken ct)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var set = LabeledSet.Build(rows, imagesDir, model, vocab, cancellationToken: ct);
        loaded?.Invoke(name, set, clock.Elapsed);
        return set;
    }
}
