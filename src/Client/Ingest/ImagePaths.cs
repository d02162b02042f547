namespace Enrichment.Client.Ingest;

public static class ImagePaths
{
    /// <summary>Symbolic links followed in one path before it is refused as a loop.</summary>
    private const int MaxLinks = 40;

    /// <summary>
    /// The real path of <paramref name="relative"/> under <paramref name="root"/>, or null if it escapes the root.
    /// Links are resolved first (root and candidate both), so a symlink inside the folder cannot reach a file outside.
    /// </summary>
    public static string? ResolveInside(string root, string relative)
    {
        try
        {
            var fullRoot = RealPath(root);
            var full = RealPath(Path.Combine(fullRoot, relative));
            var prefix = fullRoot.EndsWith(Path.DirectorySeparatorChar) ? fullRoot : fullRoot + Path.DirectorySeparatorChar;
            return full.StartsWith(prefix, StringComparison.Ordinal) ? full : null;
        }
        catch (IOException)
        {
            return null; // a link loop or a link that cannot be read: not a path we can vouch for
        }
    }

    /// <summary>The absolute path with every symbolic link in it (directories and the file itself) resolved.</summary>
    public static string RealPath(string path)
    {
        var links = 0;
        return Resolve(Path.GetFullPath(path), ref links);
    }

    private static string Resolve(string full, ref int links)
    {
        var root = Path.GetPathRoot(full)!;
        var current = root;
        foreach (var part in full[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            var next = Path.Combine(current, part);
            FileSystemInfo info = Directory.Exists(next) ? new DirectoryInfo(next) : new FileInfo(next);
            if (info.LinkTarget is { } target)
            {
                if (++links > MaxLinks)
                {
                    throw new IOException($"too many symbolic links in {full}");
                }
                // A relative target is relative to the link's folder; the target may hold links of its own.
                next = Resolve(Path.GetFullPath(target, current), ref links);
            }
            current = next;
        }
        return current;
    }
}
