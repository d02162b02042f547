using Enrichment.Abstractions;

namespace Enrichment.Grains.Products;

/// <summary>Which known values lie nearest a value the catalogue does not use: what a refused correction suggests instead.</summary>
public static class KnownValues
{
    public const int Suggested = 5;

    /// <summary>
    /// The <paramref name="count"/> known values nearest <paramref name="value"/> by edit distance (as search compares
    /// values: case and spaces aside), the more frequent first among equals.
    /// </summary>
    public static FacetValue[] Closest(string value, IEnumerable<FacetValue> known, int count = Suggested)
    {
        var wanted = AttributeNames.NormalizeValue(value);
        return known
            .Select(k => (Known: k, Distance: Distance(wanted, AttributeNames.NormalizeValue(k.Value))))
            .OrderBy(k => k.Distance).ThenByDescending(k => k.Known.Count).ThenBy(k => k.Known.Value, StringComparer.Ordinal)
            .Take(count).Select(k => k.Known).ToArray();
    }

    /// <summary>Levenshtein distance, with a transposition counted as one edit ("balck" is one edit from "black").</summary>
    public static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (var j = 0; j <= b.Length; j++) d[0, j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }
        return d[a.Length, b.Length];
    }
}
