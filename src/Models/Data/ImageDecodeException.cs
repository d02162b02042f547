namespace Enrichment.Models;

/// <summary>Thrown when image bytes are empty, corrupt, truncated, of an unknown format or too large.</summary>
public sealed class ImageDecodeException : Exception
{
    public ImageDecodeException(string message) : base(message) { }
    public ImageDecodeException(string message, Exception inner) : base(message, inner) { }
}
