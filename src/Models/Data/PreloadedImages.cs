using System.Collections.Concurrent;

namespace Enrichment.Models;

/// <summary>
/// All images of a data set decoded once into one uint8 CHW buffer (80x60 RGB = 14.4 KB per image, so the
/// full 44k catalogue fits in ~600 MB). Training then never touches the disk or the JPEG decoder.
/// </summary>
public sealed class PreloadedImages
{
    public byte[] Pixels { get; }
    public int Count { get; }
    public int Height { get; }
    public int Width { get; }
    public int ImageBytes => 3 * Height * Width;

    private PreloadedImages(byte[] pixels, int count, int height, int width)
    {
        Pixels = pixels; Count = count; Height = height; Width = width;
    }

    /// <summary>Decodes in parallel. Images that fail to decode are reported in <paramref name="failed"/>
    /// (row index -> reason) and left black; callers drop those rows.</summary>
    public static PreloadedImages Load(IReadOnlyList<string> paths, ImagePreprocessing pre, out IReadOnlyDictionary<int, string> failed,
                                       IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        int n = paths.Count, size = 3 * pre.Height * pre.Width;
        var pixels = new byte[(long)n * size];
        var errors = new ConcurrentDictionary<int, string>();
        int done = 0;
        Parallel.For(0, n, new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
        {
            try
            {
                var bytes = File.ReadAllBytes(paths[i]);
                ImageDecoder.DecodeRgbInto(bytes, pre.Height, pre.Width, pixels.AsSpan(i * size, size));
            }
            catch (Exception e) when (e is ImageDecodeException or IOException or UnauthorizedAccessException)
            {
                errors[i] = $"{paths[i]}: {e.Message}";
            }
            int d = Interlocked.Increment(ref done);
            if (progress is not null && d % 1000 == 0) progress.Report(d);
        });
        failed = errors;
        return new PreloadedImages(pixels, n, pre.Height, pre.Width);
    }

    internal static PreloadedImages FromSubset(PreloadedImages source, IReadOnlyList<int> indices)
    {
        int size = source.ImageBytes;
        var pixels = new byte[(long)indices.Count * size];
        for (int k = 0; k < indices.Count; k++) source.Image(indices[k]).CopyTo(pixels.AsSpan(k * size, size));
        return new PreloadedImages(pixels, indices.Count, source.Height, source.Width);
    }

    public ReadOnlySpan<byte> Image(int index) => Pixels.AsSpan(index * ImageBytes, ImageBytes);
}

public static class PreloadedImagesExtensions
{
    /// <summary>A dense copy holding only the given images, in that order.</summary>
    public static PreloadedImages Select(this PreloadedImages images, IReadOnlyList<int> indices) => PreloadedImages.FromSubset(images, indices);
}
