namespace Enrichment.TestSupport;

/// <summary>Locates the PostgreSQL server tools (initdb, pg_ctl) a throwaway test server needs.</summary>
/// <remarks>Debian/Ubuntu keep them off PATH under /usr/lib/postgresql/&lt;major&gt;/bin, so that is searched too.
/// Set ENRICHMENT_PG_BIN to force a directory.</remarks>
internal static class PostgresBinaries
{
    public const string OverrideVariable = "ENRICHMENT_PG_BIN";

    /// <summary>Returns the directory holding both initdb and pg_ctl, or throws with install instructions.</summary>
    public static string FindBinDirectory()
    {
        foreach (var dir in CandidateDirectories())
        {
            if (File.Exists(Path.Combine(dir, "initdb")) && File.Exists(Path.Combine(dir, "pg_ctl")))
            {
                return dir;
            }
        }

        // Fail loudly: a silently skipped database test is worse than a red build.
        throw new InvalidOperationException(
            "PostgreSQL server binaries (initdb, pg_ctl) were not found on PATH, in /usr/lib/postgresql/*/bin, " +
            $"or in ${OverrideVariable}. The PostgreSQL tests need a local PostgreSQL installation: run .ci/run " +
            "(installs it on Debian 12), or install it yourself: sudo apt-get install -y postgresql.");
    }

    private static IEnumerable<string> CandidateDirectories()
    {
        var forced = Environment.GetEnvironmentVariable(OverrideVariable);
        if (!string.IsNullOrWhiteSpace(forced))
        {
            yield return forced;
        }

        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            yield return dir;
        }

        const string debianRoot = "/usr/lib/postgresql";
        if (Directory.Exists(debianRoot))
        {
            // Newest major version first.
            foreach (var versionDir in Directory.GetDirectories(debianRoot)
                         .OrderByDescending(d => int.TryParse(Path.GetFileName(d), out var v) ? v : 0))
            {
                yield return Path.Combine(versionDir, "bin");
            }
        }
    }
}
