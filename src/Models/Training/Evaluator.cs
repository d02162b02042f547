using Enrichment.Models.Networks;
using TorchSharp;
using static TorchSharp.torch;

namespace Enrichment.Models;

/// <summary>Metrics of every head on one labelled set (plus BLEU-1..4 and sample captions when asked).</summary>
public sealed record EvaluationResult(ClassificationMetrics Colour, ClassificationMetrics Brand, ClassificationMetrics Type,
                                      Bleu? Captions, IReadOnlyList<(string Reference, string Generated)> CaptionSamples)
{
    /// <summary>Model-selection score: mean of type and colour top-1 (the two acceptance heads).</summary>
    public double Score => (Type.Top1 + Colour.Top1) / 2;
}

public static class Evaluator
{
    public static EvaluationResult Evaluate(FashionNet net, ModelVocabularies vocab, LabeledSet set, Device device, int batchSize = 128,
                                            bool captions = false, InputMode mode = InputMode.PhotoAndName,
                                            IReadOnlyDictionary<string, double>? temperatures = null,
                                            IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        var colour = new ClassificationMetrics(vocab.Labels.Colour.Classes);
        var brand = new ClassificationMetrics(vocab.Labels.Brand.Classes);
        var type = new ClassificationMetrics(vocab.Labels.Type.Classes);
        var bleu = captions ? new Bleu() : null;
        var samples = new List<(string, string)>();
        bool wasTraining = net.training;
        net.eval();
        try
        {
            using var noGrad = no_grad();
            var all = Enumerable.Range(0, set.Count).ToArray();
            for (int start = 0; start < set.Count; start += batchSize)
            {
                cancellationToken.ThrowIfCancellationRequested();
                using var scope = NewDisposeScope();
                var idx = all.AsSpan(start, Math.Min(batchSize, set.Count - start));
                var batch = set.MakeBatch(idx, device, mode: mode);
                var o = net.Forward(batch.Images, batch.Names);
                colour.Add(Temperatures.Scale(o.Colour, Temperatures.For(temperatures, mode, "colour")), batch.Colour);
                brand.Add(Temperatures.Scale(o.Brand, Temperatures.For(temperatures, mode, "brand")), batch.Brand);
                type.Add(Temperatures.Scale(o.Type, Temperatures.For(temperatures, mode, "type")), batch.Type);
                if (bleu is not null)
                {
                    var generated = net.Captioner.Greedy(o.Features, net.Options.MaxCaptionTokens + 1);
                    for (int k = 0; k < idx.Length; k++)
                    {
                        var candidate = Vocabulary.Tokenize(vocab.Words.Decode(generated[k])).ToArray();
                        var reference = Vocabulary.Tokenize(set.Rows[idx[k]].DisplayName).ToArray();
                        bleu.Add(candidate, reference);
                        if (samples.Count < 10) samples.Add((set.Rows[idx[k]].DisplayName, string.Join(' ', candidate)));
                    }
                }
                progress?.Report(start + idx.Length);
            }
        }
        finally
        {
            if (wasTraining) net.train();
        }
        return new EvaluationResult(colour, brand, type, bleu, samples);
    }

    /// <summary>Fits a temperature per input mode and head on <paramref name="set"/> (the validation split).</summary>
    public static Dictionary<string, double> FitTemperatures(FashionNet net, LabeledSet set, Device device, int batchSize = 128,
                                                             CancellationToken cancellationToken = default)
    {
        var result = new Dictionary<string, double>();
        bool wasTraining = net.training;
        net.eval();
        try
        {
            using var noGrad = no_grad();
            var all = Enumerable.Range(0, set.Count).ToArray();
            foreach (var mode in ModelInputs.ModesOf(net.Options))
            {
                var logits = new Dictionary<string, List<Tensor>> { ["type"] = [], ["colour"] = [], ["brand"] = [] };
                var targets = new Dictionary<string, List<Tensor>> { ["type"] = [], ["colour"] = [], ["brand"] = [] };
                for (int start = 0; start < set.Count; start += batchSize)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    using var scope = NewDisposeScope();
                    var batch = set.MakeBatch(all.AsSpan(start, Math.Min(batchSize, set.Count - start)), device, mode: mode);
                    var o = net.Forward(batch.Images, batch.Names);
                    foreach (var (head, l, t) in new[] { ("type", o.Type, batch.Type), ("colour", o.Colour, batch.Colour), ("brand", o.Brand, batch.Brand) })
                    {
                        logits[head].Add(l.cpu().MoveToOuterDisposeScope());
                        targets[head].Add(t.cpu().MoveToOuterDisposeScope());
                    }
                }
                foreach (var head in logits.Keys)
                {
                    using var l = cat(logits[head], 0);
                    using var t = cat(targets[head], 0);
                    result[Temperatures.Key(mode, head)] = Math.Round(Temperatures.Fit(l, t), 4);
                    foreach (var x in logits[head].Concat(targets[head])) x.Dispose();
                }
            }
        }
        finally
        {
            if (wasTraining) net.train();
        }
        return result;
    }
}
