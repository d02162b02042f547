using System.Reflection;
using System.Security.Cryptography;
using System.Text;

namespace Enrichment.Persistence;

/// <summary>One embedded SQL script, identified by file name and the SHA-256 of its text.</summary>
/// <remarks>The hash lets <see cref="PostgresSchema"/> detect a script that was edited after a database
/// already applied it (the Orleans scripts are not re-runnable, so an edit must become a new script).</remarks>
public sealed record SchemaScript(string Name, string Sql, string Sha256)
{
    /// <summary>Apply order matters: Main creates OrleansQuery, which the others insert into.
    /// Append new scripts at the end; never reorder or rename applied ones.</summary>
    public static readonly IReadOnlyList<string> OrderedNames =
    [
        "PostgreSQL-Main.sql",
        "PostgreSQL-Clustering.sql",
        "PostgreSQL-Persistence.sql",
        "Enrichment-Queue.sql",
        "Enrichment-Catalog.sql",
        "Enrichment-Rejected.sql",
        "Enrichment-Review.sql",
        "Enrichment-Products.sql",
        "Enrichment-ReviewLog.sql",
        "Enrichment-QueueCost.sql",
        "Enrichment-ModelVersions.sql",
        "Enrichment-Spellings.sql",
        "Enrichment-SearchOrder.sql",
    ];

    /// <summary>Loads the scripts embedded from <c>Sql/*.sql</c> in <see cref="OrderedNames"/> order.</summary>
    public static IReadOnlyList<SchemaScript> LoadAll()
    {
        var assembly = typeof(SchemaScript).Assembly;
        return OrderedNames.Select(name => Load(assembly, name)).ToList();
    }

    private static SchemaScript Load(Assembly assembly, string name)
    {
        // Resource names are "<RootNamespace>.Sql.<file>"; match on the suffix so a RootNamespace change cannot break it.
        var resource = assembly.GetManifestResourceNames().SingleOrDefault(r => r.EndsWith(".Sql." + name, StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"Embedded SQL script '{name}' not found in {assembly.GetName().Name}.");
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream, Encoding.UTF8);
        // Normalise line endings so a CRLF checkout on Windows hashes the same as LF on Linux.
        var sql = reader.ReadToEnd().Replace("\r\n", "\n");
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sql)));
        return new SchemaScript(name, sql, hash);
    }
}
