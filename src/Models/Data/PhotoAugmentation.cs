namespace Enrichment.Models;

/// <summary>
/// Training-time photo augmentation that leaves colour alone: a mirror, a small zoom (crop), shift and rotation,
/// sampled bilinearly with the border repeated (catalogue photos sit on a plain background). No hue, saturation or
/// brightness jitter: the colour head's labels are the photo's colours.
/// </summary>
public sealed record PhotoAugmentation
{
    /// <summary>Flips only (the library's augmentation, and the recipe of every checkpoint before this one).</summary>
    public static readonly PhotoAugmentation FlipOnly = new() { MaxZoom = 1, MaxShift = 0, MaxRotationDegrees = 0 };
    public static readonly PhotoAugmentation Default = new();

    public double FlipProbability { get; init; } = 0.5;
    /// <summary>Zoom factor drawn in [1/MaxZoom^0.5, MaxZoom]: mostly a crop, sometimes a slight zoom out.</summary>
    public double MaxZoom { get; init; } = 1.15;
    /// <summary>Shift as a fraction of the side, either way.</summary>
    public double MaxShift { get; init; } = 0.08;
    public double MaxRotationDegrees { get; init; } = 6;

    private bool OnlyFlips => MaxZoom <= 1 && MaxShift <= 0 && MaxRotationDegrees <= 0;

    /// <summary>Writes the augmented copy of <paramref name="src"/> (uint8 CHW, 3 planes) into <paramref name="dst"/>.</summary>
    public void Apply(ReadOnlySpan<byte> src, Span<byte> dst, int height, int width, Random rng)
    {
        bool flip = rng.NextDouble() < FlipProbability;
        if (OnlyFlips)
        {
            if (!flip) { src.CopyTo(dst); return; }
            for (int row = 0; row < 3 * height; row++)
            {
                var s = src.Slice(row * width, width);
                var d = dst.Slice(row * width, width);
                for (int x = 0; x < width; x++) d[x] = s[width - 1 - x];
            }
            return;
        }
        double zoom = Math.Exp(Uniform(rng, -0.5 * Math.Log(MaxZoom), Math.Log(MaxZoom)));
        double angle = Uniform(rng, -MaxRotationDegrees, MaxRotationDegrees) * Math.PI / 180;
        double shiftX = Uniform(rng, -MaxShift, MaxShift) * width, shiftY = Uniform(rng, -MaxShift, MaxShift) * height;
        // Inverse map: for each output pixel, where it comes from in the source (centred coordinates).
        double cos = Math.Cos(angle) / zoom, sin = Math.Sin(angle) / zoom;
        double cx = (width - 1) / 2.0, cy = (height - 1) / 2.0;
        int plane = height * width;
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                double ox = (flip ? width - 1 - x : x) - cx - shiftX, oy = y - cy - shiftY;
                double sx = Math.Clamp(cos * ox + sin * oy + cx, 0, width - 1);
                double sy = Math.Clamp(-sin * ox + cos * oy + cy, 0, height - 1);
                int x0 = (int)sx, y0 = (int)sy;
                int x1 = Math.Min(x0 + 1, width - 1), y1 = Math.Min(y0 + 1, height - 1);
                double fx = sx - x0, fy = sy - y0;
                for (int c = 0; c < 3; c++)
                {
                    var p = src.Slice(c * plane, plane);
                    double top = p[y0 * width + x0] * (1 - fx) + p[y0 * width + x1] * fx;
                    double bottom = p[y1 * width + x0] * (1 - fx) + p[y1 * width + x1] * fx;
                    dst[c * plane + y * width + x] = (byte)Math.Clamp((int)Math.Round(top * (1 - fy) + bottom * fy), 0, 255);
                }
            }
        }
    }

    private static double Uniform(Random rng, double min, double max) => min + (max - min) * rng.NextDouble();
}
