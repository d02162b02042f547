using System.Text;
using Enrichment.Client.Ingest;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;

namespace Enrichment.Client.Api;

/// <summary>Reads an ingest body: only JSON or NDJSON, at most <see cref="IngestOptions.MaxRequestBytes"/>, strictly UTF-8.</summary>
public static class IngestBody
{
    public const string Ndjson = "application/x-ndjson";

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// JSON and NDJSON only: a browser sends text/plain or form bodies cross-site without asking (no CORS preflight),
    /// so accepting them would let any web page a user visits post events.
    /// </summary>
    public static bool IsAccepted(string? contentType, out bool isNdjson)
    {
        isNdjson = false;
        if (!MediaTypeHeaderValue.TryParse(contentType, out var media))
        {
            return false;
        }
        isNdjson = media.MediaType.Equals(Ndjson, StringComparison.OrdinalIgnoreCase);
        // charset="utf-8" (quoted) is the same parameter as charset=utf-8; a second charset makes the body's encoding
        // ambiguous, so it is refused rather than read by the first one.
        var charsets = media.Parameters.Where(p => p.Name.Equals("charset", StringComparison.OrdinalIgnoreCase)).ToList();
        var utf8 = charsets.Count == 0
                   || (charsets.Count == 1 && HeaderUtilities.RemoveQuotes(charsets[0].Value).Equals("utf-8", StringComparison.OrdinalIgnoreCase));
        return utf8 && (isNdjson || media.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>
    /// Null when the body comes as sent (no Content-Encoding, or identity); otherwise the 415 to answer. A compressed body
    /// is refused rather than read as if it were JSON (it used to be, and failed as garbage), and rather than inflated:
    /// a few kilobytes of gzip can inflate past any body limit before the limit could look at it.
    /// </summary>
    public static IResult? EncodingProblem(HttpRequest request)
    {
        var codings = request.Headers.ContentEncoding.SelectMany(v => (v ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
        return codings.All(c => c.Equals("identity", StringComparison.OrdinalIgnoreCase))
            ? null
            : Results.Problem("Content-Encoding is not supported on this endpoint: send the body uncompressed (identity)", statusCode: 415);
    }

    /// <summary>The body as text, or the problem to answer instead.</summary>
    public static async Task<(string? Text, IResult? Problem)> ReadAsync(HttpRequest request, long maxBytes, CancellationToken ct)
    {
        if (request.ContentLength > maxBytes)
        {
            return (null, TooLarge(maxBytes));
        }
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = maxBytes;
        }
        using var buffer = new MemoryStream();
        try
        {
            await request.Body.CopyToAsync(buffer, ct);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, TooLarge(maxBytes));
        }
        if (buffer.Length > maxBytes)
        {
            return (null, TooLarge(maxBytes)); // servers without a body-size feature (tests, some hosts)
        }
        try
        {
            // A UTF-8 byte order mark is not part of the first event: skipped, as the NDJSON file reader skips it.
            var bytes = buffer.GetBuffer().AsSpan(0, (int)buffer.Length);
            if (bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
            {
                bytes = bytes[3..];
            }
            return (StrictUtf8.GetString(bytes), null);
        }
        catch (DecoderFallbackException)
        {
            // Refused whole rather than decoded with replacement characters: that would silently change ids and names.
            return (null, Results.Problem("the body is not valid UTF-8", statusCode: 400));
        }
    }

    private static IResult TooLarge(long maxBytes) =>
        Results.Problem($"the body is larger than {maxBytes} bytes (Ingest:MaxRequestBytes); send fewer events per request", statusCode: 413);
}
