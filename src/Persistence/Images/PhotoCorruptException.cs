namespace Enrichment.Persistence.Images;

/// <summary>A stored photo whose bytes no longer hash to its key: damaged at rest or overwritten outside the cluster.</summary>
public sealed class PhotoCorruptException(string sha256, string actual)
    : Exception($"photo {sha256} is corrupt in the photo store: its stored bytes hash to {actual}")
{
    public string Sha256 { get; } = sha256;
    public string ActualSha256 { get; } = actual;
}
