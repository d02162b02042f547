using System.Diagnostics;
using Enrichment.Models.Networks;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace Enrichment.Models.Bench;

internal sealed record ModelBenchResult(double ImagesPerSecond, double MsPerBatch, double GflopPerImage);

internal static class ModelBench
{
    /// <summary>Inference = trunk + type head under no_grad in eval mode. Training = forward, cross-entropy,
    /// backward and an SGD step of trunk + head. GFLOP/img counts conv multiply-adds x2 (x3 for training:
    /// the backward pass costs about twice the forward).</summary>
    public static ModelBenchResult Run(Architecture arch, int width, string mode, int batch, byte[][] images, BenchOptions o)
    {
        using var scope0 = NewDisposeScope();
        var backbone = new ResNet(arch, width);
        var head = backbone.Classify(20, finetune: true);
        var pixels = new byte[batch * images[0].Length];
        for (int i = 0; i < batch; i++) images[i % images.Length].CopyTo(pixels, i * images[0].Length);
        var x = LabeledSet.ToNormalisedTensor(pixels, batch, o.Height, o.Width, CPU);
        var y = randint(0, 20, new long[] { batch }, dtype: ScalarType.Int64);
        bool training = mode == "training";
        double gflop = 2.0 * backbone.MultiplyAddsPerImage(o.Height, o.Width) / 1e9 * (training ? 3 : 1);

        Action step;
        if (training)
        {
            backbone.train();
            var opt = optim.SGD(backbone.parameters().Concat(head.parameters()), 0.01, momentum: 0.9);
            step = () =>
            {
                using var s = NewDisposeScope();
                var loss = cross_entropy(head.forward(backbone.forward(x)), y);
                opt.zero_grad();
                loss.backward();
                opt.step();
            };
        }
        else
        {
            backbone.eval();
            step = () =>
            {
                using var s = NewDisposeScope();
                using var ng = no_grad();
                head.forward(backbone.forward(x)).argmax(1).data<long>().ToArray();
            };
        }
        step(); step(); // warm-up: oneDNN primitive creation, allocator
        // Best of several short windows: on a shared machine the fastest window is the least disturbed one.
        double best = double.MaxValue;
        for (int w = 0; w < o.Windows; w++)
        {
            var sw = Stopwatch.StartNew();
            int iters = 0;
            while (sw.Elapsed.TotalSeconds < o.Seconds / o.Windows || iters < 2) { step(); iters++; }
            best = Math.Min(best, sw.Elapsed.TotalSeconds / iters);
        }
        backbone.Dispose(); head.Dispose();
        return new ModelBenchResult(batch / best, 1000 * best, gflop);
    }
}
