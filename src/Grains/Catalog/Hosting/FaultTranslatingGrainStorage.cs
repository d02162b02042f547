using Enrichment.Abstractions;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace Enrichment.Grains.Hosting;

/// <summary>
/// Grain storage that reports a database failure as <see cref="StorageUnavailableException"/> at its source. The
/// incoming-call filter (<see cref="StorageFaultFilter"/>) cannot do it for the read a grain makes while it activates:
/// that read runs before any call reaches the grain, and Orleans answered the waiting callers with the driver's own
/// exception, which no codec can carry ("Could not find a codec for type Npgsql.NpgsqlException", a 500 on reads).
/// <see cref="StorageUnavailableException"/> is an <see cref="OrleansException"/>, so Orleans' storage bridge passes it
/// on unwrapped and the caller gets something it can retry.
/// </summary>
public sealed class FaultTranslatingGrainStorage(IGrainStorage inner) : IGrainStorage, ILifecycleParticipant<ISiloLifecycle>
{
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        Translate(inner.ReadStateAsync(stateName, grainId, grainState), "read");

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        Translate(inner.WriteStateAsync(stateName, grainId, grainState), "write");

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        Translate(inner.ClearStateAsync(stateName, grainId, grainState), "clear");

    /// <summary>The inner provider initialises itself in the silo lifecycle (the ADO.NET one loads its queries there).</summary>
    public void Participate(ISiloLifecycle lifecycle) => (inner as ILifecycleParticipant<ISiloLifecycle>)?.Participate(lifecycle);

    private static async Task Translate(Task operation, string what)
    {
        try
        {
            await operation;
        }
        catch (Exception ex) when (StorageFaultFilter.Find(ex) is { } fault)
        {
            throw StorageFaultFilter.Unavailable(fault, $"grain state {what}");
        }
    }

    /// <summary>Wraps the grain storage registered as <paramref name="name"/> (registered before this call).</summary>
    public static void Decorate(IServiceCollection services, string name)
    {
        var registered = services.LastOrDefault(d => d.ServiceType == typeof(IGrainStorage) && d.IsKeyedService && Equals(d.ServiceKey, name))
            ?? throw new InvalidOperationException($"no grain storage named '{name}' is registered to decorate");
        var factory = registered.KeyedImplementationFactory
            ?? throw new InvalidOperationException($"grain storage '{name}' is not registered by a factory");
        services.Remove(registered);
        services.AddKeyedSingleton<IGrainStorage>(name, (sp, key) => new FaultTranslatingGrainStorage((IGrainStorage)factory(sp, key)));
    }
}
