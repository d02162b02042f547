namespace Enrichment.Persistence.Catalog;

/// <summary>A product carrying a reviewed label; <paramref name="Labelled"/>: what training exports (see <see cref="CatalogProjection.IsLabelled"/>).</summary>
public sealed record ReviewedProduct(string ProductId, bool Labelled);
