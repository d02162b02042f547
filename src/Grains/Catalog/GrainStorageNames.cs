namespace Enrichment.Grains;

/// <summary>The grain storage provider every catalogue grain persists to (memory in the demo, PostgreSQL in a cluster).</summary>
public static class GrainStorageNames
{
    public const string Catalog = "catalog";
}
