using Enrichment.Abstractions;

namespace Enrichment.Grains.Serving;

[GenerateSerializer, Alias("Enrichment.ModelRegistryState")]
public sealed class ModelRegistryState
{
    [Id(0)] public List<ModelVersionInfo> Versions { get; set; } = new();
    [Id(1)] public string? CurrentVersionId { get; set; }
    /// <summary>Newest last, at most <see cref="DeploymentRules.HistoryKept"/>.</summary>
    [Id(2)] public List<DeploymentRecord> Deployments { get; set; } = new();
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

    public async Task<ModelVersionInfo> SetCurrent(DeploymentRequest request)
    {
        var version = state.State.Versions.FirstOrDefault(v => v.VersionId == request.VersionId)
            ?? throw new ArgumentException($"model version '{request.VersionId}' is not registered");
        if (state.State.CurrentVersionId != request.VersionId)
        {
            state.State.Deployments.Add(new DeploymentRecord(time.GetUtcNow(), request.By, state.State.CurrentVersionId, request.VersionId, request.Reason));
            if (state.State.Deployments.Count > DeploymentRules.HistoryKept)
            {
                state.State.Deployments.RemoveAt(0);
            }
            state.State.CurrentVersionId = request.VersionId;
            await state.WriteStateAsync();
        }
        return version;
    }

    public Task RecordVerdict(string versionId, VersionVerdict verdict) => UpdateAsync(versionId, v => v with { Verdict = verdict });

    public Task RecordEvaluation(string versionId, VersionEvaluation evaluation) => UpdateAsync(versionId, v => v with { Evaluation = evaluation });

    public async Task<bool> OfferAutoApply(string versionId, AutoApplyThreshold[] thresholds)
    {
        var replaced = false;
        await UpdateAsync(versionId, v =>
        {
            replaced = AutoApplySelection.Prefer(v.AutoApply, thresholds);
            return replaced ? v with { AutoApply = thresholds } : v;
        });
        return replaced;
    }

    private async Task UpdateAsync(string versionId, Func<ModelVersionInfo, ModelVersionInfo> change)
    {
        var index = state.State.Versions.FindIndex(v => v.VersionId == versionId);
        if (index < 0)
        {
            throw new ArgumentException($"model version '{versionId}' is not registered");
        }
        state.State.Versions[index] = change(state.State.Versions[index]);
        await state.WriteStateAsync();
    }

    public Task<DeploymentRecord[]> Deployments() => Task.FromResult(state.State.Deployments.AsEnumerable().Reverse().ToArray());

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
        var current = await GetCurrent() ?? await SetCurrent(new DeploymentRequest(version.VersionId, "bootstrap", "the cluster had no model"));
        _bootstrapClaim = null;
        return current;
    }
}
