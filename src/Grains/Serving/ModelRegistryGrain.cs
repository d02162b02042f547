using Enrichment.Abstractions;

namespace Enrichment.Grains.Serving;

[GenerateSerializer, Alias("Enrichment.ModelRegistryState")]
public sealed class ModelRegistryState
{
    [Id(0)] public List<ModelVersionInfo> Versions { get; set; } = new();
    [Id(1)] public string? CurrentVersionId { get; set; }
}

public sealed class ModelRegistryGrain(
    [PersistentState("models", GrainStorageNames.Catalog)] IPersistentState<ModelRegistryState> state, TimeProvider time)
    : Grain, IModelRegistryGrain
{
    // Held in memory only: if this activation is lost, the claim lapses and a silo's next reconcile claims again.
    private (string Claimant, DateTimeOffset Until)? _bootstrapClaim;

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

    public Task<bool> TryClaimBootstrap(string claimant, TimeSpan lease)
    {
        var now = time.GetUtcNow();
        if (state.State.CurrentVersionId is not null
            || _bootstrapClaim is { } claim && claim.Claimant != claimant && claim.Until > now)
        {
            return Task.FromResult(false);
        }
        _bootstrapClaim = (claimant, now + lease);
        return Task.FromResult(true);
    }

    public async Task<ModelVersionInfo> PublishBootstrap(ModelVersionInfo version)
    {
        await Register(version);
        var current = await GetCurrent() ?? await SetCurrent(version.VersionId);
        _bootstrapClaim = null;
        return current;
    }
}
