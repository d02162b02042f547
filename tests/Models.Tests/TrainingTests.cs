using Enrichment.Models;
using Enrichment.Models.Networks;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace Enrichment.Models.Tests;

[Collection("torch")]
[Trait("Category", "Unit")]
public sealed class TrainingTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("models-train-");

    public void Dispose() => _dir.Delete(recursive: true);

    [Fact]
    public void Real_training_steps_on_real_images_lower_the_loss()
    {
        manual_seed(7);
        var rows = TestData.Rows();
        var vocab = TestData.Vocab(rows);
        var model = TestData.TinyModel;
        var set = LabeledSet.Build(rows.Take(48).ToList(), TestData.Images, model, vocab);
        using var net = new FashionNet(model, vocab.Labels.Colour.Count, vocab.Labels.Brand.Count, vocab.Labels.Type.Count, vocab.Words.Count);
        net.train();
        using var opt = optim.SGD(net.parameters(), 0.02, momentum: 0.9);
        var idx = Enumerable.Range(0, set.Count).ToArray();
        using var batch0 = new DisposableBatch(set.MakeBatch(idx, CPU));
        var b = batch0.Batch;

        float Loss(bool step)
        {
            using var scope = NewDisposeScope();
            var o = net.forward(b.Images);
            var cap = net.Captioner.forward(o.Features, b.CaptionInput);
            var loss = cross_entropy(o.Type, b.Type) + cross_entropy(o.Colour, b.Colour)
                     + cross_entropy(cap.reshape(-1, cap.shape[2]), b.CaptionTarget.reshape(-1), ignore_index: Vocabulary.Pad);
            if (step) { opt.zero_grad(); loss.backward(); opt.step(); }
            return loss.item<float>();
        }

        float first = Loss(step: true);
        float last = first;
        for (int i = 0; i < 15; i++) last = Loss(step: true);
        // Caption cross-entropy (~ln |V|) dominates the sum and falls slowly; 15 steps reliably cut the total by >10 %.
        Assert.True(last < 0.9 * first, $"loss {first} -> {last}");
    }

    [Fact]
    public void Trainer_runs_an_epoch_logs_and_keeps_a_loadable_best_checkpoint()
    {
        var rows = TestData.Rows();
        var split = new SplitOptions(Seed: 3);
        var parts = DatasetSplit.Create(rows, split);
        var vocab = TestData.Vocab(parts.Train);
        var model = TestData.TinyModel with { InputHeight = 40, InputWidth = 30 };
        var train = LabeledSet.Build(parts.Train.Take(96).ToList(), TestData.Images, model, vocab);
        var valid = LabeledSet.Build(parts.Valid, TestData.Images, model, vocab);
        using var net = new FashionNet(model, vocab.Labels.Colour.Count, vocab.Labels.Brand.Count, vocab.Labels.Type.Count, vocab.Words.Count);
        var logPath = Path.Combine(_dir.FullName, "train.log.tsv");
        var reports = new List<TrainingProgress>();
        TrainingResult result;
        using (var log = new TrainingLogWriter(logPath))
            result = new Trainer(new TrainerOptions { Epochs = 2, BatchSize = 16, WarmupIterations = 2, EvalBatchSize = 64 })
                .Train(net, vocab, train, valid, CPU, _dir.FullName, split, log, new InlineProgress(reports.Add));

        Assert.Equal(2, result.EpochsRun);
        Assert.NotNull(result.BestCheckpoint);
        var entries = TrainingLogReader.Read(logPath);
        Assert.Equal(12, entries.Count(e => e.Kind == "train"));   // 96 / 16 per epoch, 2 epochs
        Assert.Equal(2, entries.Count(e => e.Kind == "valid"));        // photo + name, the model's full input
        Assert.Equal(2, entries.Count(e => e.Kind == "valid-photo"));  // and photo only
        Assert.Contains(reports, r => r.Phase == TrainingPhase.Training && r.Eta is not null);
        Assert.Equal(TrainingPhase.Finished, reports[^1].Phase);

        var manifest = Checkpoint.ReadManifest(result.BestCheckpoint!);
        Assert.Equal(split, manifest.Split);
        Assert.Equal(result.BestEpoch, manifest.Epoch);
        Assert.True(manifest.Metrics.ContainsKey("valid.type.top1"));
        using var loaded = EnrichmentModel.Load(result.BestCheckpoint!, CPU);
        var preds = loaded.Predict(new[] { ImageDecoder.Decode(TestData.FirstJpeg(), model.Preprocessing) });
        Assert.Contains(preds[0].Type.Value, vocab.Labels.Type.Classes);
    }

    [Fact]
    public void Training_is_cancellable()
    {
        var rows = TestData.Rows().Take(64).ToList();
        var vocab = TestData.Vocab(rows);
        var model = TestData.TinyModel with { InputHeight = 40, InputWidth = 30 };
        var set = LabeledSet.Build(rows, TestData.Images, model, vocab);
        using var net = new FashionNet(model, vocab.Labels.Colour.Count, vocab.Labels.Brand.Count, vocab.Labels.Type.Count, vocab.Words.Count);
        using var cts = new CancellationTokenSource();
        var progress = new InlineProgress(p => { if (p.Iteration >= 2) cts.Cancel(); });
        Assert.ThrowsAny<OperationCanceledException>(() =>
            new Trainer(new TrainerOptions { Epochs = 5, BatchSize = 8 }).Train(net, vocab, set, set, CPU, _dir.FullName, progress: progress, cancellationToken: cts.Token));
    }

    [Fact]
    public void Learning_rate_is_divided_by_four_on_a_plateau()
    {
        var s = new LearningRateSchedule(new TrainerOptions { LearningRate = 0.1, WarmupIterations = 10 }, 100);
        Assert.Equal(0.01, s.At(0), 9);
        Assert.Equal(0.1, s.At(50), 9);
        s.OnEpochEnd(improved: true);
        Assert.Equal(0.1, s.At(50), 9);
        s.OnEpochEnd(improved: false);
        Assert.Equal(0.025, s.At(50), 9);
        var cosine = new LearningRateSchedule(new TrainerOptions { LearningRate = 0.1, WarmupIterations = 0, Cosine = true }, 100);
        Assert.Equal(0.05, cosine.At(50), 9);
        Assert.Equal(0.05, cosine.At(0, timeFraction: 0.5), 9);
    }

    private sealed class InlineProgress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }

    private sealed class DisposableBatch(Batch batch) : IDisposable
    {
        public Batch Batch { get; } = batch;
        public void Dispose()
        {
            Batch.Images.Dispose(); Batch.Names?.Dispose(); Batch.Type.Dispose(); Batch.Colour.Dispose(); Batch.Brand.Dispose();
            Batch.CaptionInput.Dispose(); Batch.CaptionTarget.Dispose();
        }
    }
}
