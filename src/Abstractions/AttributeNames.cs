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

    /// <summary>
    /// Index keys compare values case- and space-insensitively and in one Unicode form (NFC): "Navy Blue" == " navy  blue",
    /// and "Café" composed == "Café" decomposed. Both the projection and every query go through here.
    /// </summary>
    public static string NormalizeValue(string value) =>
        TextRules.Nfc(string.Join(' ', value.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToLowerInvariant());
}
