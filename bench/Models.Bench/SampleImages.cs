namespace Enrichment.Models.Bench;

internal static class SampleImages
{
    /// <summary>Up to 64 decoded sample images as uint8 CHW, so batches hold real photos.</summary>
    public static byte[][] Load(BenchOptions o)
    {
        var files = Directory.EnumerateFiles(Path.Combine(o.SampleDir, "images"), "*.jpg").Order().Take(64).ToArray();
        if (files.Length == 0) throw new DirectoryNotFoundException($"No sample images under {o.SampleDir}/images.");
        return files.Select(f => ImageDecoder.DecodeRgb(File.ReadAllBytes(f), o.Height, o.Width)).ToArray();
    }
}
