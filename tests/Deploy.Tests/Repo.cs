using Enrichment.TestSupport;

namespace Enrichment.Deploy.Tests;

/// <summary>Files of the repository by their path relative to its root.</summary>
internal static class Repo
{
    public static string Root => RepoPaths.Root;

    public static string PathOf(string relative) => Path.GetFullPath(Path.Combine(Root, relative));
}
