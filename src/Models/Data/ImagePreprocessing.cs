namespace Enrichment.Models;

/// <summary>Target size and normalisation. Images are resized (stretched) to Height x Width; the catalogue's
/// photos are all 60x80 (W x H), so the default keeps them at native resolution.</summary>
public sealed record ImagePreprocessing(int Height = 80, int Width = 60)
{
    public static ImagePreprocessing Default { get; } = new();

    // ImageNet statistics, as in the torchvision models the library mirrors.
    public static readonly float[] Mean = { 0.485f, 0.456f, 0.406f };
    public static readonly float[] Std = { 0.229f, 0.224f, 0.225f };

    public int PixelCount => Height * Width;

    /// <summary>CHW uint8 RGB -> CHW normalised floats.</summary>
    public float[] Normalize(ReadOnlySpan<byte> chw)
    {
        int plane = PixelCount;
        if (chw.Length != 3 * plane) throw new ArgumentException($"Expected {3 * plane} bytes, got {chw.Length}.");
        var result = new float[3 * plane];
        for (int c = 0; c < 3; c++)
        {
            float scale = 1f / (255f * Std[c]), shift = Mean[c] / Std[c];
            var src = chw.Slice(c * plane, plane);
            var dst = result.AsSpan(c * plane, plane);
            for (int i = 0; i < plane; i++) dst[i] = src[i] * scale - shift;
        }
        return result;
    }
}
