namespace Enrichment.Deploy.Tests;

/// <summary>The repository root (where Enrichment.Orleans.sln lives), found from the test binary's folder.</summary>
internal static class Repo
{
    public static string Root { get; } = FindRoot();

    public static string PathOf(string relative) => Path.GetFullPath(Path.Combine(Root, relative));

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Enrichment.Orleans.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("Enrichment.Orleans.sln not found above " + AppContext.BaseDirectory);
    }
}
