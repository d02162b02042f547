namespace Enrichment.Grains.Products;

[GenerateSerializer, Alias("Enrichment.ProductState")]
public sealed class ProductState
{
    [Id(0)] public StoredProduct? Product { get; set; }

    /// <summary>Most recent event ids, newest last, so a replayed event is recognised as a duplicate.</summary>
    [Id(1)] public List<string> RecentEventIds { get; set; } = new();

    /// <summary>
    /// Counts every stored change (events and enrichments alike), so the read model can tell a late projection from
    /// a newer one even when the product's event version did not move.
    /// </summary>
    [Id(2)] public long Revision { get; set; }
}
