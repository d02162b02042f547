using SkiaSharp;

namespace Enrichment.Models;

/// <summary>JPEG/PNG/WebP/... decoding with SkiaSharp, scaled decode (JPEG DCT scaling) and resize.</summary>
public static class ImageDecoder
{
    /// <summary>Encoded inputs larger than this are rejected before any decoding work.</summary>
    public const int MaxEncodedBytes = 32 * 1024 * 1024;

    /// <summary>Declared dimensions above this (width x height) are rejected: decompression-bomb guard.</summary>
    public const long MaxPixels = 50_000_000;

    public const int MaxSide = 20_000;

    public static DecodedImage Decode(ReadOnlySpan<byte> bytes) => Decode(bytes, ImagePreprocessing.Default);

    public static DecodedImage Decode(ReadOnlySpan<byte> bytes, ImagePreprocessing preprocessing)
    {
        var chw = DecodeRgb(bytes, preprocessing.Height, preprocessing.Width);
        return new DecodedImage(preprocessing.Normalize(chw), preprocessing.Height, preprocessing.Width);
    }

    /// <summary>Decodes to uint8 RGB, CHW, resized to height x width. Compact form used to preload training sets.</summary>
    public static byte[] DecodeRgb(ReadOnlySpan<byte> bytes, int height, int width)
    {
        var result = new byte[3 * height * width];
        DecodeRgbInto(bytes, height, width, result);
        return result;
    }

    public static unsafe void DecodeRgbInto(ReadOnlySpan<byte> bytes, int height, int width, Span<byte> destination)
    {
        if (bytes.IsEmpty) throw new ImageDecodeException("Image is empty (0 bytes).");
        if (bytes.Length > MaxEncodedBytes)
            throw new ImageDecodeException($"Image is too large: {bytes.Length:N0} bytes exceeds the {MaxEncodedBytes:N0}-byte limit.");
        if (destination.Length != 3 * height * width) throw new ArgumentException("Destination has the wrong size.", nameof(destination));

        SKData data;
        fixed (byte* p = bytes) data = SKData.CreateCopy((IntPtr)p, bytes.Length);
        using (data)
        using (var codec = SKCodec.Create(data))
        {
            if (codec is null)
                throw new ImageDecodeException($"Image data ({bytes.Length:N0} bytes) is corrupt or not a supported format (header not recognised).");
            var info = codec.Info;
            if (info.Width <= 0 || info.Height <= 0)
                throw new ImageDecodeException($"Image declares invalid dimensions {info.Width}x{info.Height}.");
            if (info.Width > MaxSide || info.Height > MaxSide || (long)info.Width * info.Height > MaxPixels)
                throw new ImageDecodeException($"Image is too large: {info.Width}x{info.Height} pixels exceeds the limit of {MaxPixels:N0} pixels / {MaxSide} per side.");

            // Let the codec downscale (JPEG DCT scaling is almost free) to the smallest size still >= target.
            float scale = Math.Min(1f, Math.Max((float)width / info.Width, (float)height / info.Height));
            var dims = codec.GetScaledDimensions(scale);
            if (dims.Width < width || dims.Height < height) dims = new SKSizeI(info.Width, info.Height);
            var decodeInfo = new SKImageInfo(dims.Width, dims.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
            using var bitmap = new SKBitmap(decodeInfo);
            var status = codec.GetPixels(decodeInfo, bitmap.GetPixels());
            if (status == SKCodecResult.IncompleteInput)
                throw new ImageDecodeException("Image data is truncated (incomplete input).");
            if (status != SKCodecResult.Success)
                throw new ImageDecodeException($"Image data is corrupt: decoder reported {status}.");

            SKBitmap source = bitmap;
            SKBitmap? resized = null;
            try
            {
                if (dims.Width != width || dims.Height != height)
                {
                    resized = bitmap.Resize(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul),
                                            new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear))
                              ?? throw new ImageDecodeException("Image could not be resized.");
                    source = resized;
                }
                CopyRgbaToChw(source, height, width, destination);
            }
            finally
            {
                resized?.Dispose();
            }
        }
    }

    private static unsafe void CopyRgbaToChw(SKBitmap bitmap, int height, int width, Span<byte> destination)
    {
        int plane = height * width, rowBytes = bitmap.RowBytes;
        byte* px = (byte*)bitmap.GetPixels();
        for (int y = 0; y < height; y++)
        {
            byte* row = px + (long)y * rowBytes;
            int o = y * width;
            for (int x = 0; x < width; x++)
            {
                destination[o + x] = row[4 * x];
                destination[plane + o + x] = row[4 * x + 1];
                destination[2 * plane + o + x] = row[4 * x + 2];
            }
        }
    }
}
