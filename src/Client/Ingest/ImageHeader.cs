using System.Buffers.Binary;

namespace Enrichment.Client.Ingest;

/// <summary>
/// A photo's pixel size read from its header (PNG IHDR, JPEG SOFn, WebP VP8/VP8L/VP8X) without decoding it: what
/// decoding will cost is known before the photo is accepted. Null where the header cannot be read; the decoder then
/// judges the photo (it is stored as unreadable if it does not decode).
/// </summary>
public readonly record struct ImageHeader(int Width, int Height, bool Interlaced)
{
    public long Pixels => (long)Width * Height;

    public static ImageHeader? Read(ReadOnlySpan<byte> bytes) => ImageSniffer.ContentType(bytes) switch
    {
        "image/png" => Png(bytes),
        "image/jpeg" => Jpeg(bytes),
        "image/webp" => WebP(bytes),
        _ => null,
    };

    private static ImageHeader? Png(ReadOnlySpan<byte> b) =>
        b.Length >= 29 && b.Slice(12, 4).SequenceEqual("IHDR"u8)
            ? new ImageHeader(BinaryPrimitives.ReadInt32BigEndian(b[16..]), BinaryPrimitives.ReadInt32BigEndian(b[20..]), b[28] != 0)
            : null;

    private static ImageHeader? Jpeg(ReadOnlySpan<byte> b)
    {
        var i = 2;
        while (i + 9 < b.Length)
        {
            if (b[i] != 0xFF)
            {
                return null;
            }
            var marker = b[i + 1];
            if (marker == 0xFF)
            {
                i++; // fill byte
                continue;
            }
            if (marker is 0xD8 or 0x01 or (>= 0xD0 and <= 0xD7))
            {
                i += 2; // markers without a length
                continue;
            }
            var length = BinaryPrimitives.ReadUInt16BigEndian(b[(i + 2)..]);
            // SOF0-15 except DHT (C4), JPG (C8) and DAC (CC): precision, height, width.
            if (marker is >= 0xC0 and <= 0xCF and not 0xC4 and not 0xC8 and not 0xCC)
            {
                return new ImageHeader(BinaryPrimitives.ReadUInt16BigEndian(b[(i + 7)..]), BinaryPrimitives.ReadUInt16BigEndian(b[(i + 5)..]),
                    Interlaced: marker is 0xC2 or 0xC6 or 0xCA or 0xCE);
            }
            if (marker == 0xDA || length < 2)
            {
                return null; // scan data before any frame header
            }
            i += 2 + length;
        }
        return null;
    }

    private static ImageHeader? WebP(ReadOnlySpan<byte> b)
    {
        if (b.Length < 30)
        {
            return null;
        }
        var chunk = b.Slice(12, 4);
        if (chunk.SequenceEqual("VP8 "u8) && b[23] == 0x9D && b[24] == 0x01 && b[25] == 0x2A)
        {
            return new ImageHeader(BinaryPrimitives.ReadUInt16LittleEndian(b[26..]) & 0x3FFF, BinaryPrimitives.ReadUInt16LittleEndian(b[28..]) & 0x3FFF, false);
        }
        if (chunk.SequenceEqual("VP8L"u8) && b[20] == 0x2F)
        {
            var bits = BinaryPrimitives.ReadUInt32LittleEndian(b[21..]);
            return new ImageHeader((int)(bits & 0x3FFF) + 1, (int)((bits >> 14) & 0x3FFF) + 1, false);
        }
        if (chunk.SequenceEqual("VP8X"u8))
        {
            return new ImageHeader((b[24] | b[25] << 8 | b[26] << 16) + 1, (b[27] | b[28] << 8 | b[29] << 16) + 1, false);
        }
        return null;
    }
}
