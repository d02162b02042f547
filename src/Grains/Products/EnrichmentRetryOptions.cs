namespace Enrichment.Grains.Products;

/// <summary>How a product keeps trying while no model silo or version is available. Bound from "Enrichment:Retry".</summary>
public sealed class EnrichmentRetryOptions
{
    public const string Section = "Enrichment:Retry";

    public TimeSpan InitialDelay { get; set; } = TimeSpan.FromSeconds(1);
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(30);
}
