using Enrichment.Abstractions;

namespace Enrichment.Grains.Training;

[GenerateSerializer, Alias("Enrichment.ModelQualityState")]
public sealed class ModelQualityState
{
    [Id(0)] public string? ReportJson { get; set; }
}

/// <summary>Holds one version's latest quality report; written by whoever scored the version on the evaluation set.</summary>
public sealed class ModelQualityGrain(
    [PersistentState("quality", GrainStorageNames.Catalog)] IPersistentState<ModelQualityState> state) : Grain, IModelQualityGrain
{
    public async Task Put(string reportJson)
    {
        state.State.ReportJson = reportJson;
        await state.WriteStateAsync();
    }

    public Task<string?> Get() => Task.FromResult(state.State.ReportJson);
}
