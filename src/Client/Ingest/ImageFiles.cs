namespace Enrichment.Client.Ingest;

/// <summary>Reads an image file named by a catalogue row or an NDJSON line, refusing it by size (and anything but a regular file) before reading a byte.</summary>
public static class ImageFiles
{
    /// <summary>The bytes, or why this one event's image cannot be used; never an exception that would stop the ingest.</summary>
    public static async Task<(byte[]? Bytes, string? Problem)> ReadAsync(string path, int maxBytes, CancellationToken ct)
    {
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists)
            {
                return (null, $"image file not found: {Path.GetFileName(path)}");
            }
            if (info.Length > maxBytes)
            {
                return (null, $"image is {info.Length} bytes; the limit is {maxBytes}");
            }
            var (opened, notRegular) = RegularFile.OpenRead(path);
            if (opened is null)
            {
                return (null, notRegular);
            }
            await using var stream = opened;
            // Read at most one byte past the limit: the file may have grown since it was measured.
            var buffer = new byte[(int)Math.Min(info.Length, maxBytes) + 1];
            var read = 0;
            while (read < buffer.Length && await stream.ReadAsync(buffer.AsMemory(read), ct) is var n and > 0)
            {
                read += n;
            }
            return read > maxBytes
                ? (null, $"image is over the limit of {maxBytes} bytes")
                : (buffer[..read], null);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return (null, $"image file could not be read: {ex.Message}");
        }
    }
}
