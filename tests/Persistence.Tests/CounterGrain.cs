using Orleans.Runtime;

namespace Enrichment.Persistence.Tests;

/// <summary>Test-only grain whose state goes through AdoNetGrainStorage into PostgreSQL.</summary>
public interface ICounterGrain : IGrainWithStringKey
{
    /// <summary>Adds to the persisted total and returns where it ran and the new total.</summary>
    Task<CounterWrite> Add(int amount, string note);

    Task<CounterState> Read();
}

[GenerateSerializer]
public sealed record CounterWrite([property: Id(0)] string Silo, [property: Id(1)] int Total);

[GenerateSerializer]
public sealed class CounterState
{
    [Id(0)] public int Total { get; set; }
    [Id(1)] public List<string> Notes { get; set; } = [];
}

public sealed class CounterGrain(
    [PersistentState("counter", OrleansClusterConfigurators.StorageName)] IPersistentState<CounterState> state,
    ILocalSiloDetails silo) : Grain, ICounterGrain
{
    public async Task<CounterWrite> Add(int amount, string note)
    {
        state.State.Total += amount;
        state.State.Notes.Add(note);
        await state.WriteStateAsync();
        return new CounterWrite(silo.Name, state.State.Total);
    }

    public Task<CounterState> Read() => Task.FromResult(state.State);
}
