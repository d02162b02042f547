using Enrichment.Models;

namespace Enrichment.Models.Tests;

[Trait("Category", "Unit")]
public sealed class ImageDecoderTests
{
    [Fact]
    public void Decodes_real_jpeg_to_normalised_chw()
    {
        var img = ImageDecoder.Decode(TestData.FirstJpeg());
        Assert.Equal(80, img.Height);
        Assert.Equal(60, img.Width);
        Assert.Equal(3 * 80 * 60, img.Chw.Length);
        // Normalised ImageNet range is about [-2.2, 2.7]; a real photo is not constant.
        Assert.All(img.Chw, v => Assert.InRange(v, -2.2f, 2.7f));
        Assert.True(img.Chw.Max() - img.Chw.Min() > 1f);
    }

    [Fact]
    public void Resizes_to_requested_size()
    {
        var img = ImageDecoder.Decode(TestData.FirstJpeg(), new ImagePreprocessing(40, 30));
        Assert.Equal((40, 30, 3600), (img.Height, img.Width, img.Chw.Length));
        var big = ImageDecoder.DecodeRgb(TestData.FirstJpeg(), 160, 120);
        Assert.Equal(3 * 160 * 120, big.Length);
    }

    [Fact]
    public void Empty_input_has_clear_error()
    {
        var e = Assert.Throws<ImageDecodeException>(() => ImageDecoder.Decode(ReadOnlySpan<byte>.Empty));
        Assert.Contains("empty", e.Message);
    }

    [Fact]
    public void Random_bytes_are_reported_as_corrupt()
    {
        var junk = new byte[5000];
        new Random(1).NextBytes(junk);
        var e = Assert.Throws<ImageDecodeException>(() => ImageDecoder.Decode(junk));
        Assert.Contains("corrupt", e.Message);
    }

    [Fact]
    public void Truncated_jpeg_is_reported()
    {
        var jpeg = TestData.FirstJpeg();
        var e = Assert.Throws<ImageDecodeException>(() => ImageDecoder.Decode(jpeg.AsSpan(0, jpeg.Length / 3)));
        Assert.True(e.Message.Contains("truncated") || e.Message.Contains("corrupt"), e.Message);
    }

    [Fact]
    public void Huge_declared_dimensions_are_rejected_before_decoding()
    {
        // Rewrite the JPEG's start-of-frame so it claims 60000 x 60000 pixels (a decompression bomb).
        var jpeg = TestData.FirstJpeg();
        int sof = FindSof(jpeg);
        jpeg[sof + 5] = 0xEA; jpeg[sof + 6] = 0x60; // height 60000
        jpeg[sof + 7] = 0xEA; jpeg[sof + 8] = 0x60; // width 60000
        var e = Assert.Throws<ImageDecodeException>(() => ImageDecoder.Decode(jpeg));
        Assert.Contains("too large", e.Message);
    }

    [Fact]
    public void Oversized_input_is_rejected_by_byte_count()
    {
        var e = Assert.Throws<ImageDecodeException>(() => ImageDecoder.Decode(new byte[ImageDecoder.MaxEncodedBytes + 1]));
        Assert.Contains("too large", e.Message);
    }

    private static int FindSof(byte[] jpeg)
    {
        for (int i = 2; i + 9 < jpeg.Length; i++)
            if (jpeg[i] == 0xFF && jpeg[i + 1] is 0xC0 or 0xC1 or 0xC2) return i;
        throw new InvalidDataException("no SOF marker");
    }
}
