using Enrichment.Abstractions;

namespace Enrichment.Grains.Search;

[GenerateSerializer]
public sealed class AttributeIndexState
{
    [Id(0)] public HashSet<string> ProductIds { get; set; } = new(StringComparer.Ordinal);
}

public sealed class AttributeIndexGrain(
    [PersistentState("index", GrainStorageNames.Catalog)] IPersistentState<AttributeIndexState> state)
    : Grain, IAttributeIndexGrain
{
    public async Task Add(string productId)
    {
        if (state.State.ProductIds.Add(productId))
        {
            await state.WriteStateAsync();
        }
    }

    public async Task Remove(string productId)
    {
        if (state.State.ProductIds.Remove(productId))
        {
            await state.WriteStateAsync();
        }
    }

    public Task<string[]> GetProductIds() => Task.FromResult(state.State.ProductIds.ToArray());
}
