using System.Security.Cryptography;

namespace Enrichment.Persistence.Images;

/// <summary>The one definition of a photo's key: the lowercase hex SHA-256 of its bytes.</summary>
public static class PhotoHash
{
    public static string Of(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    /// <summary>A key as every store expects it: 64 lowercase hex digits (a key also names a file or an object).</summary>
    public static bool IsKey(string sha256) =>
        sha256.Length == 64 && sha256.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f');
}
