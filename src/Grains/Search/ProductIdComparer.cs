namespace Enrichment.Grains.Search;

/// <summary>
/// A total order for stable paging: numeric ids first, numerically (2 before 10), then the rest ordinally.
/// </summary>
public sealed class ProductIdComparer : IComparer<string>
{
    public static readonly ProductIdComparer Instance = new();

    public int Compare(string? x, string? y)
    {
        var xNumeric = long.TryParse(x, out var a);
        var yNumeric = long.TryParse(y, out var b);
        return (xNumeric, yNumeric) switch
        {
            (true, true) => a != b ? a.CompareTo(b) : string.CompareOrdinal(x, y),
            (true, false) => -1,
            (false, true) => 1,
            _ => string.CompareOrdinal(x, y),
        };
    }
}
