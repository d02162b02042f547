using System.Text;

namespace Enrichment.Abstractions;

/// <summary>UTF-8 text as unpadded base64url: the form of every cursor the API hands out.</summary>
public static class Base64Url
{
    public static string Encode(string text) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(text)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>The text, or null when <paramref name="encoded"/> is empty, longer than <paramref name="maxLength"/>, not base64url or not UTF-8.</summary>
    public static string? Decode(string encoded, int maxLength)
    {
        if (encoded.Length is 0 || encoded.Length > maxLength)
        {
            return null;
        }
        var base64 = encoded.Replace('-', '+').Replace('_', '/');
        base64 = base64.PadRight(base64.Length + (4 - base64.Length % 4) % 4, '=');
        var bytes = new byte[base64.Length];
        if (!Convert.TryFromBase64String(base64, bytes, out var written))
        {
            return null;
        }
        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes, 0, written);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }
}
