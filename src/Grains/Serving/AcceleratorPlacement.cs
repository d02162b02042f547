using Orleans.Placement;
using Orleans.Runtime.MembershipService.SiloMetadata;
using Orleans.Runtime.Placement;

namespace Enrichment.Grains.Serving;

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

    public IEnumerable<SiloAddress> Filter(PlacementFilterStrategy filterStrategy, PlacementTarget target, IEnumerable<SiloAddress> silos) =>
        silos.Where(HasAccelerator);

    public bool HasAccelerator(SiloAddress silo) =>
        metadata.GetSiloMetadata(silo).Metadata.TryGetValue(MetadataKey, out var accelerator) && !string.IsNullOrWhiteSpace(accelerator);
}
