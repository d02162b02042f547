using System.Diagnostics;
using Enrichment.Models.Networks;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace Enrichment.Models;

/// <summary>
/// Joint training of the trunk, the three heads and the annotator. Per epoch: SGD (momentum 0.9) over a
/// stratified order, then validation; the best epoch (by <see cref="EvaluationResult.Score"/>) is saved to
/// <c>outputDir/best</c>; a non-improving epoch divides the LR by <see cref="TrainerOptions.PlateauDivisor"/>.
/// Cancellation stops between iterations and leaves the best checkpoint so far on disk.
/// </summary>
public sealed class Trainer
{
    private readonly TrainerOptions _o;

    public Trainer(TrainerOptions options) => _o = options;

    private double TimeFraction(Stopwatch clock) => _o.TimeBudget is { } b ? clock.Elapsed / b : 0;

    public TrainingResult Train(FashionNet net, ModelVocabularies vocab, LabeledSet train, LabeledSet valid, Device device,
                                string outputDir, SplitOptions? split = null, TrainingLogWriter? log = null,
                                IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        if (train.Count == 0) throw new ArgumentException("Training set is empty.", nameof(train));
        var clock = Stopwatch.StartNew();
        var sampler = new StratifiedSampler(train.Type, _o.SamplerPower, _o.Seed);
        int itersPerEpoch = (sampler.EpochSize + _o.BatchSize - 1) / _o.BatchSize;
        var schedule = new LearningRateSchedule(_o, (long)itersPerEpoch * _o.Epochs);
        using var optimizer = optim.SGD(net.parameters(), _o.LearningRate, momentum: _o.Momentum, weight_decay: _o.WeightDecay);
        var augmentation = _o.Augment ? new BatchAugmentation(new Random(_o.Seed), _o.PhotoAugmentation, _o.NameDropout) : null;
        var bestDir = Path.Combine(outputDir, "best");
        double bestScore = double.NegativeInfinity;
        int bestEpoch = 0, epochsRun = 0;
        long globalIter = 0;
        bool outOfTime = false;
        net.to(device);

        for (int epoch = 1; epoch <= _o.Epochs && !outOfTime; epoch++)
        {
            net.train();
            var order = sampler.EpochOrder(epoch);
            double lossSum = 0; long typeOk = 0, colourOk = 0, seen = 0;
            var epochClock = Stopwatch.StartNew();
            int iter = 0;
            for (int start = 0; start < order.Length; start += _o.BatchSize, iter++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (_o.TimeBudget is { } budget && clock.Elapsed > budget) { outOfTime = true; break; }
                int n = Math.Min(_o.BatchSize, order.Length - start);
                if (n < 2) continue; // BatchNorm needs > 1 sample per channel in training mode
                double lr = schedule.At(globalIter, TimeFraction(clock));
                foreach (var g in optimizer.ParamGroups) g.LearningRate = lr;

                using var scope = NewDisposeScope();
                var batch = train.MakeBatch(order.AsSpan(start, n), device, augmentation);
                var o = net.Forward(batch.Images, batch.Names);
                var lossType = cross_entropy(o.Type, batch.Type, label_smoothing: _o.LabelSmoothing);
                var lossColour = cross_entropy(o.Colour, batch.Colour, label_smoothing: _o.LabelSmoothing);
                var lossBrand = cross_entropy(o.Brand, batch.Brand, label_smoothing: _o.LabelSmoothing);
                var capLogits = net.Captioner.forward(o.Features, batch.CaptionInput);
                var lossCaption = cross_entropy(capLogits.reshape(-1, capLogits.shape[2]), batch.CaptionTarget.reshape(-1), ignore_index: Vocabulary.Pad);
                var loss = lossType + lossColour + _o.BrandLossWeight * lossBrand + _o.CaptionLossWeight * lossCaption;
                optimizer.zero_grad();
                loss.backward();
                optimizer.step();

                double l = loss.item<float>();
                if (double.IsNaN(l)) throw new InvalidOperationException($"Loss became NaN at epoch {epoch} iteration {iter}; lower the learning rate.");
                long tOk = o.Type.argmax(1).eq(batch.Type).sum().item<long>();
                long cOk = o.Colour.argmax(1).eq(batch.Colour).sum().item<long>();
                long bOk = o.Brand.argmax(1).eq(batch.Brand).sum().item<long>();
                lossSum += l * n; typeOk += tOk; colourOk += cOk; seen += n; globalIter++;
                log?.Write(new TrainingLogEntry("train", epoch, globalIter, l, (double)tOk / n, (double)cOk / n, (double)bOk / n, lr, clock.Elapsed.TotalSeconds));

                var perIter = epochClock.Elapsed / (iter + 1);
                var remaining = perIter * ((itersPerEpoch - iter - 1) + (long)itersPerEpoch * (_o.Epochs - epoch));
                if (_o.TimeBudget is { } b2 && clock.Elapsed + remaining > b2) remaining = b2 - clock.Elapsed;
                progress?.Report(new TrainingProgress(TrainingPhase.Training, epoch, _o.Epochs, iter + 1, itersPerEpoch,
                    lossSum / seen, (double)typeOk / seen, (double)colourOk / seen, lr, clock.Elapsed, remaining));
            }
            if (seen == 0) break;
            epochsRun = epoch;

            progress?.Report(new TrainingProgress(TrainingPhase.Validating, epoch, _o.Epochs, iter, itersPerEpoch,
                lossSum / seen, (double)typeOk / seen, (double)colourOk / seen, schedule.At(globalIter, TimeFraction(clock)), clock.Elapsed, null));
            var modes = ModelInputs.ModesOf(net.Options);
            var evals = modes.Select(m => Evaluator.Evaluate(net, vocab, valid, device, _o.EvalBatchSize, mode: m, cancellationToken: cancellationToken)).ToList();
            var eval = evals[^1];
            double score = evals.Average(e => e.Score);
            foreach (var (mode, e) in modes.Zip(evals))
                // "valid" is the model's full input (what the plot and the cluster's curve read); a name model adds "valid-photo".
                log?.Write(new TrainingLogEntry(mode == modes[^1] ? "valid" : "valid-photo", epoch, globalIter, lossSum / seen,
                    e.Type.Top1, e.Colour.Top1, e.Brand.Top1, schedule.At(globalIter, TimeFraction(clock)), clock.Elapsed.TotalSeconds));
            bool improved = score > bestScore;
            if (improved)
            {
                bestScore = score;
                bestEpoch = epoch;
                var metrics = new Dictionary<string, double>
                {
                    ["valid.type.top1"] = eval.Type.Top1, ["valid.type.top5"] = eval.Type.Top5,
                    ["valid.colour.top1"] = eval.Colour.Top1, ["valid.colour.top5"] = eval.Colour.Top5,
                    ["valid.brand.top1"] = eval.Brand.Top1, ["valid.brand.top5"] = eval.Brand.Top5,
                    ["train.loss"] = lossSum / seen, ["train.seconds"] = clock.Elapsed.TotalSeconds,
                };
                if (modes.Count > 1)
                {
                    metrics["valid.photo.type.top1"] = evals[0].Type.Top1;
                    metrics["valid.photo.colour.top1"] = evals[0].Colour.Top1;
                }
                Checkpoint.Save(bestDir, net, vocab, split, epoch, metrics);
            }
            schedule.OnEpochEnd(improved);
            progress?.Report(new TrainingProgress(TrainingPhase.Validating, epoch, _o.Epochs, iter, itersPerEpoch,
                lossSum / seen, eval.Type.Top1, eval.Colour.Top1, schedule.At(globalIter, TimeFraction(clock)), clock.Elapsed, null, score));
        }
        progress?.Report(new TrainingProgress(TrainingPhase.Finished, epochsRun, _o.Epochs, 0, itersPerEpoch, 0, 0, 0, 0, clock.Elapsed, TimeSpan.Zero, bestScore));
        return new TrainingResult(bestEpoch, bestScore, bestEpoch > 0 ? bestDir : null, epochsRun, clock.Elapsed, outOfTime);
    }
}
