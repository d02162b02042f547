using Orleans.Placement;
using Orleans.Runtime.MembershipService.SiloMetadata;
using Orleans.Runtime.Placement;

namespace Enrichment.Grains.Placement;

/// <summary>
/// Places a grain only on silos whose metadata declares an accelerator. Orleans' built-in metadata filters
/// compare against the calling silo's own metadata, which is not "any silo with an accelerator".
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class AcceleratorPlacementFilterAttribute() : PlacementFilterAttribute(new AcceleratorPlacementFilterStrategy());

public sealed class AcceleratorPlacementFilterStrategy() : PlacementFilterStrategy(order: 0);

public sealed class AcceleratorPlacementFilterDirector(ISiloMetadataCache metadata) : IPlacementFilterDirector
{
    public const string MetadataKey = "accelerator";

    public const string Cuda = "cuda";

    /// <summary>Silos with an accelerator; only the CUDA ones while any CUDA silo is up, CPU "accelerators" being the fallback.</summary>
    public IEnumerable<SiloAddress> Filter(PlacementFilterStrategy filterStrategy, PlacementTarget target, IEnumerable<SiloAddress> silos)
    {
        var capable = silos.Select(s => (Silo: s, Accelerator: AcceleratorOf(s))).Where(s => s.Accelerator is not null).ToList();
        var cuda = capable.Where(s => s.Accelerator == Cuda).ToList();
        return (cuda.Count > 0 ? cuda : capable).Select(s => s.Silo);
    }

    private string? AcceleratorOf(SiloAddress silo) =>
        metadata.GetSiloMetadata(silo).Metadata.TryGetValue(MetadataKey, out var accelerator) && !string.IsNullOrWhiteSpace(accelerator)
            ? accelerator.Trim().ToLowerInvariant()
            : null;
}
