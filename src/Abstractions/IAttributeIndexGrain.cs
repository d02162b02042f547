namespace Enrichment.Abstractions;

/// <summary>
/// One shard of the inverted index for one attribute value, keyed by <see cref="IndexKeys.For"/>.
/// Sharding keeps each persisted set small so that an index write stays cheap on big catalogues.
/// </summary>
public interface IAttributeIndexGrain : IGrainWithStringKey
{
    Task Add(string productId);
    Task Remove(string productId);
    Task<string[]> GetProductIds();
}

public static class IndexKeys
{
    public const int ShardCount = 32;

    public static string For(string attribute, string value, int shard) =>
        $"{attribute}/{AttributeNames.NormalizeValue(value)}/{shard}";

    public static int ShardOf(string productId)
    {
        // Stable across processes (string.GetHashCode is randomised per process).
        uint hash = 2166136261;
        foreach (var c in productId)
        {
            hash = (hash ^ c) * 16777619;
        }
        return (int)(hash % ShardCount);
    }
}
