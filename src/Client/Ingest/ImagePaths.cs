namespace Enrichment.Client.Ingest;

public static class ImagePaths
{
    /// <summary>The full path of <paramref name="relative"/> under <paramref name="root"/>, or null if it escapes the root.</summary>
    public static string? ResolveInside(string root, string relative)
    {
        var fullRoot = Path.GetFullPath(root);
        var full = Path.GetFullPath(Path.Combine(fullRoot, relative));
        var prefix = fullRoot.EndsWith(Path.DirectorySeparatorChar) ? fullRoot : fullRoot + Path.DirectorySeparatorChar;
        return full.StartsWith(prefix, StringComparison.Ordinal) ? full : null;
    }
}
