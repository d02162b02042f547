using Enrichment.Abstractions;

namespace Enrichment.Grains.Serving;

[GenerateSerializer, Alias("Enrichment.ModelChunkState")]
public sealed class ModelChunkState
{
    [Id(0)] public byte[]? Bytes { get; set; }
}

public sealed class ModelChunkGrain(
    [PersistentState("chunk", GrainStorageNames.Catalog)] IPersistentState<ModelChunkState> state)
    : Grain, IModelChunkGrain
{
    public async Task Put(byte[] bytes)
    {
        if (bytes.Length > ModelChunks.ChunkSize)
        {
            throw new ArgumentException($"a chunk holds at most {ModelChunks.ChunkSize} bytes");
        }
        if (state.State.Bytes is not null)
        {
            return; // Chunks are keyed by the weights' hash: the same key always means the same bytes.
        }
        state.State.Bytes = bytes;
        await state.WriteStateAsync();
    }

    public Task<byte[]?> Get() => Task.FromResult(state.State.Bytes);
}
