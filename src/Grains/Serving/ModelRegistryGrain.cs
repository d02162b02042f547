using Enrichment.Abstractions;

namespace Enrichment.Grains.Serving;

[GenerateSerializer]
public sealed class ModelRegistryState
{
    [Id(0)] public List<ModelVersionInfo> Versions { get; set; } = new();
    [Id(1)] public string? CurrentVersionId { get; set; }
}

public sealed class ModelRegistryGrain(
    [PersistentState("models", GrainStorageNames.Catalog)] IPersistentState<ModelRegistryState> state)
    : Grain, IModelRegistryGrain
{
    public Task<ModelVersionInfo?> GetCurrent() =>
        Task.FromResult(state.State.Versions.FirstOrDefault(v => v.VersionId == state.State.CurrentVersionId));

    public Task<ModelVersionInfo[]> List() => Task.FromResult(state.State.Versions.ToArray());

    public async Task Register(ModelVersionInfo version)
    {
        if (state.State.Versions.Any(v => v.VersionId == version.VersionId))
        {
            return;
        }
        state.State.Versions.Add(version);
        await state.WriteStateAsync();
    }

    public async Task<ModelVersionInfo> SetCurrent(string versionId)
    {
        var version = state.State.Versions.FirstOrDefault(v => v.VersionId == versionId)
            ?? throw new ArgumentException($"model version '{versionId}' is not registered");
        if (state.State.CurrentVersionId != versionId)
        {
            state.State.CurrentVersionId = versionId;
            await state.WriteStateAsync();
        }
        return version;
    }
}
