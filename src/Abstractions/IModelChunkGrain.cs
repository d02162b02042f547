namespace Enrichment.Abstractions;

/// <summary>
/// One chunk of a model's weights file, keyed "{weightsSha256}/{index}". Weights travel in chunks well below
/// the message size limit, and live in the cluster's storage (PostgreSQL in production).
/// </summary>
[Alias("Enrichment.IModelChunkGrain")]
public interface IModelChunkGrain : IGrainWithStringKey
{
    [Alias("Put")] Task Put(byte[] bytes);
    [Alias("Get")] Task<byte[]?> Get();
}

public static class ModelChunks
{
    public const int ChunkSize = 4 * 1024 * 1024;

    public static string Key(string weightsSha256, int index) => $"{weightsSha256}/{index}";

    public static int CountFor(long length) => (int)Math.Max(1, (length + ChunkSize - 1) / ChunkSize);
}
