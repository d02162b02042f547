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
        var charset = media.Charset.Value;
        var utf8 = charset is null || charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase);
        return utf8 && (isNdjson || media.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase));
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
