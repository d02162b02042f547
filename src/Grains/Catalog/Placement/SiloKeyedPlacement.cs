using Orleans.Placement;
using Orleans.Runtime.Placement;

namespace Enrichment.Grains.Placement;

/// <summary>
/// Places a grain keyed by a silo's address (<see cref="KeyOf"/>) on that silo, so a caller on an accelerator silo
/// reaches the model held by that very silo: the work it claimed is served where its photos were fetched. When the
/// named silo cannot host the grain (gone, or filtered out by the grain's placement filters), any compatible silo
/// does: the key is where work should go, not a condition for doing it.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class SiloKeyedPlacementAttribute() : PlacementAttribute(SiloKeyedPlacement.Instance);

[GenerateSerializer, Immutable, SuppressReferenceTracking, Alias("Enrichment.SiloKeyedPlacement")]
public sealed class SiloKeyedPlacement : PlacementStrategy
{
    internal static readonly SiloKeyedPlacement Instance = new();

    /// <summary>The grain key that places a <see cref="SiloKeyedPlacementAttribute"/> grain on <paramref name="silo"/>.</summary>
    public static string KeyOf(SiloAddress silo) => silo.ToParsableString();
}

public sealed class SiloKeyedPlacementDirector : IPlacementDirector
{
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        var compatible = context.GetCompatibleSilos(target);
        if (compatible.Length == 0)
        {
            throw new OrleansException($"No silo can host {target.GrainIdentity}: none is compatible with its placement.");
        }
        var key = target.GrainIdentity.Key.ToString();
        var named = compatible.FirstOrDefault(silo => SiloKeyedPlacement.KeyOf(silo) == key);
        return Task.FromResult(named ?? compatible[Random.Shared.Next(compatible.Length)]);
    }
}
