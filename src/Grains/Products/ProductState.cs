using Enrichment.Abstractions;

namespace Enrichment.Grains.Products;

[GenerateSerializer]
public sealed class ProductState
{
    [Id(0)] public ProductView? Product { get; set; }

    /// <summary>Most recent event ids, newest last, so a replayed event is recognised as a duplicate.</summary>
    [Id(1)] public List<string> RecentEventIds { get; set; } = new();
}
