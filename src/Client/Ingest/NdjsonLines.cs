using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text;

namespace Enrichment.Client.Ingest;

/// <summary>
/// Splits an NDJSON stream into lines without trusting it: a line longer than the limit is skipped without being
/// held in memory, and a line that is not UTF-8 is reported as such instead of being decoded with replacement
/// characters. Either way only that line is lost to the caller, who rejects it.
/// </summary>
public static class NdjsonLines
{
    public readonly record struct Line(int Number, string? Text, string? Error);

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <param name="maxLineBytes">Longest line kept (<see cref="IngestOptions.MaxLineBytes"/>: the largest event the ingest accepts).</param>
    public static async IAsyncEnumerable<Line> ReadAsync(Stream stream, int maxLineBytes, [EnumeratorCancellation] CancellationToken ct = default)
    {
        var chunk = new byte[64 * 1024];
        var line = new ArrayBufferWriter<byte>();
        var number = 1;
        var tooLong = false;
        int read;
        // WaitAsync: a read from a pipe or FIFO blocks in the kernel and does not see the token, so a stop (SIGTERM)
        // would wait for input that may never come; the abandoned read ends with the process.
        while ((read = await stream.ReadAsync(chunk, ct).AsTask().WaitAsync(ct)) > 0)
        {
            var span = chunk.AsMemory(0, read);
            while (span.Length > 0)
            {
                var newline = span.Span.IndexOf((byte)'\n');
                var piece = newline < 0 ? span : span[..newline];
                if (!tooLong && line.WrittenCount + piece.Length > maxLineBytes)
                {
                    tooLong = true;
                    line.ResetWrittenCount();
                }
                if (!tooLong)
                {
                    line.Write(piece.Span);
                }
                if (newline < 0)
                {
                    break;
                }
                if (Finish(number++, line, tooLong, maxLineBytes) is { } done)
                {
                    yield return done;
                }
                line.ResetWrittenCount();
                tooLong = false;
                span = span[(newline + 1)..];
            }
        }
        if (Finish(number, line, tooLong, maxLineBytes) is { } last)
        {
            yield return last;
        }
    }

    private static Line? Finish(int number, ArrayBufferWriter<byte> line, bool tooLong, int maxLineBytes)
    {
        if (tooLong)
        {
            return new Line(number, null, $"line is longer than {maxLineBytes} bytes");
        }
        var bytes = line.WrittenSpan;
        if (number == 1 && bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            // A UTF-8 byte order mark is not part of the first event (looked for in the whole first line, not the first
            // read: a pipe may deliver it a byte at a time).
            bytes = bytes[3..];
        }
        if (bytes.Length > 0 && bytes[^1] == (byte)'\r')
        {
            bytes = bytes[..^1];
        }
        if (bytes.IsEmpty || bytes.IndexOfAnyExcept((ReadOnlySpan<byte>)" \t"u8) < 0)
        {
            return null; // blank lines separate nothing and are skipped
        }
        try
        {
            return new Line(number, StrictUtf8.GetString(bytes), null);
        }
        catch (DecoderFallbackException)
        {
            return new Line(number, null, "line is not valid UTF-8");
        }
    }
}
