namespace Enrichment.TestSupport;

/// <summary>Paths inside the repository, found from the test binary's folder (tests never read ../shared).</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();
    public static string SampleCatalog => Path.Combine(Root, "data", "sample", "styles.csv");
    public static string SampleImages => Path.Combine(Root, "data", "sample", "images");
    /// <summary>The checkpoint trained on the full catalogue that the demo serves.</summary>
    public static string DemoModel => Path.Combine(Root, "models", "demo");

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
