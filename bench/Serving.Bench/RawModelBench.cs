using System.Diagnostics;
using Enrichment.Models;

namespace Enrichment.Serving.Bench;

/// <summary>The ceiling: decode + forward in full batches on this thread, no Orleans, no storage.</summary>
public static class RawModelBench
{
    public static double ImagesPerSecond(string checkpoint, IReadOnlyList<byte[]> images, int count, int batchSize)
    {
        using var model = EnrichmentModel.Load(checkpoint, TorchSharp.torch.CPU);
        Run(model, images, batchSize, batchSize); // warm-up: first forward pass allocates
        var watch = Stopwatch.StartNew();
        Run(model, images, count, batchSize);
        return count / watch.Elapsed.TotalSeconds;
    }

    private static void Run(EnrichmentModel model, IReadOnlyList<byte[]> images, int count, int batchSize)
    {
        for (var done = 0; done < count; done += batchSize)
        {
            var batch = Enumerable.Range(done, Math.Min(batchSize, count - done))
                .Select(i => ImageDecoder.Decode(images[i % images.Count], model.Preprocessing))
                .ToList();
            model.Predict(batch);
        }
    }
}
