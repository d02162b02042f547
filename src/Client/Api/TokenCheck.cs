using System.Security.Cryptography;
using System.Text;

namespace Enrichment.Client.Api;

/// <summary>How a request presents a token: its own header (X-Admin-Token, X-Ingest-Token) or Authorization: Bearer.</summary>
public static class TokenCheck
{
    public static bool Presents(HttpRequest request, string header, string expected)
    {
        var presented = request.Headers[header].ToString();
        var authorization = request.Headers.Authorization.ToString();
        if (presented.Length == 0 && authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            presented = authorization["Bearer ".Length..].Trim();
        }
        return SameToken(presented, expected);
    }

    /// <summary>Constant-time comparison: the token must not leak through response timing.</summary>
    public static bool SameToken(string presented, string expected) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), Encoding.UTF8.GetBytes(expected));
}
