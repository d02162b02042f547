namespace Enrichment.Deploy.Tests.LocalCluster;

/// <summary>The product ids and clothing types of a styles.csv, the truth the cluster's answers are checked against.</summary>
public static class CatalogueRows
{
    public sealed record Row(string Id, string Type);

    /// <summary>Column 1 is the id, column 4 the article type; the sample has no quoted commas in those columns.</summary>
    public static IReadOnlyList<Row> Read(string path) =>
        File.ReadLines(path).Skip(1).Where(l => l.Length > 0).Select(l => l.Split(',')).Select(c => new Row(c[0], c[3])).ToList();
}
