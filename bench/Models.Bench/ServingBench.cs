using System.Diagnostics;
using static TorchSharp.torch;

namespace Enrichment.Models.Bench;

internal sealed record ServingBenchResult(double PhotoOnlyImagesPerSecond, double FusedImagesPerSecond)
{
    public double Ratio => FusedImagesPerSecond / PhotoOnlyImagesPerSecond;
}

/// <summary>
/// What the name branch costs in serving: <see cref="EnrichmentModel.Predict(IReadOnlyList{ModelInput})"/> (decode
/// excluded; forward, heads, calibrated confidences and caption decoding included) of a photo-only model and of the same
/// network with the name branch, on the same real photos and names, in alternating windows so both see the same machine.
/// </summary>
internal static class ServingBench
{
    public static ServingBenchResult Run(Architecture arch, int width, int batch, BenchOptions o)
    {
        var files = Directory.EnumerateFiles(Path.Combine(o.SampleDir, "images"), "*.jpg").Order().Take(64).ToArray();
        var names = CatalogReader.ReadNames(Path.Combine(o.SampleDir, "styles.csv"));
        var options = new ModelOptions { Architecture = arch, BaseWidth = width, InputHeight = o.Height, InputWidth = o.Width };
        var inputs = Enumerable.Range(0, batch).Select(i =>
        {
            var file = files[i % files.Length];
            return new ModelInput(ImageDecoder.Decode(File.ReadAllBytes(file), options.Preprocessing),
                                  names.GetValueOrDefault(int.Parse(Path.GetFileNameWithoutExtension(file))));
        }).ToArray();
        // The bundled model's label space: 46 types, 24 colours, 72 brands (+ other), about 1,800 caption words.
        var labels = new LabelMaps(Labels("colour", 25), Labels("brand", 73), Labels("type", 47));
        var words = new Vocabulary(Vocabulary.Specials.Concat(Enumerable.Range(0, 1800).Select(i => $"w{i}")).ToArray());
        using var photoOnly = EnrichmentModel.CreateUntrained(options with { NameBuckets = 0 }, labels, words, CPU);
        using var fused = EnrichmentModel.CreateUntrained(options, labels, words, CPU);
        photoOnly.Predict(inputs); fused.Predict(inputs); // warm-up
        double bestPhoto = double.MaxValue, bestFused = double.MaxValue;
        for (int w = 0; w < 2 * o.Windows; w++)
        {
            bestPhoto = Math.Min(bestPhoto, Window(photoOnly, inputs, o.Seconds / (2 * o.Windows)));
            bestFused = Math.Min(bestFused, Window(fused, inputs, o.Seconds / (2 * o.Windows)));
        }
        return new ServingBenchResult(batch / bestPhoto, batch / bestFused);
    }

    private static double Window(EnrichmentModel model, ModelInput[] inputs, double seconds)
    {
        var sw = Stopwatch.StartNew();
        int iterations = 0;
        while (sw.Elapsed.TotalSeconds < seconds || iterations < 2) { model.Predict(inputs); iterations++; }
        return sw.Elapsed.TotalSeconds / iterations;
    }

    private static LabelMap Labels(string name, int count) =>
        new(name, ["other", .. Enumerable.Range(1, count - 1).Select(i => $"{name}{i}")]);
}
