namespace Enrichment.Abstractions;

/// <summary>Canonical attribute names; the models predict the first three.</summary>
public static class AttributeNames
{
    public const string Colour = "colour";
    public const string Brand = "brand";
    public const string Type = "type";
    public const string Category = "category";
    public const string SubCategory = "subcategory";
    public const string Usage = "usage";

    public static readonly IReadOnlyList<string> Searchable = [Colour, Brand, Type, Category, SubCategory, Usage];

    public static bool IsSearchable(string name) => Searchable.Contains(name, StringComparer.Ordinal);

    /// <summary>Index keys compare values case- and space-insensitively: "Navy Blue" == " navy  blue".</summary>
    public static string NormalizeValue(string value) =>
        string.Join(' ', value.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToLowerInvariant();
}
