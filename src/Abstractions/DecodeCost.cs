namespace Enrichment.Abstractions;

/// <summary>
/// What decoding a photo costs, in pixels the decoder must produce, from its header alone: the figure the enrichment
/// queue sorts photos by (<see cref="ImageRef.DecodePixels"/>), so that a flood of small expensive photos is served
/// apart from everyone else's.
/// </summary>
public static class DecodeCost
{
    /// <summary>
    /// A baseline JPEG is decoded scaled in its DCT (down to 1/8 per side, nearly free), so it costs an eighth of its
    /// pixels squared. Progressive JPEG, PNG and WebP are decoded whole; an interlaced one (Adam7 PNG, progressive
    /// JPEG) is first gathered in a full-size buffer and then passed over again, so it counts twice.
    /// </summary>
    public static long Pixels(int width, int height, string contentType, bool interlaced)
    {
        if (width <= 0 || height <= 0)
        {
            return 0;
        }
        var pixels = (long)width * height;
        if (contentType == "image/jpeg" && !interlaced)
        {
            return Math.Max(1, pixels / 64);
        }
        return interlaced ? 2 * pixels : pixels;
    }

    /// <summary>Whether a photo goes to the expensive class of the enrichment queue.</summary>
    public static bool IsExpensive(ImageRef image, long expensivePixels) => image.DecodePixels > expensivePixels;
}
