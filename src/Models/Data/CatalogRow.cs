namespace Enrichment.Models;

/// <summary>One row of styles.csv.</summary>
public sealed record CatalogRow(
    int Id, string MasterCategory, string SubCategory, string ArticleType,
    string BaseColour, string Usage, string DisplayName);
