using System.Globalization;
using Enrichment.Abstractions;

namespace Enrichment.Persistence.Catalog;

/// <summary>
/// A row's place in a search order: its sort key (the name's, the confidence's or the change time's field; none for
/// the id order) and then its product id.
/// </summary>
public readonly record struct SearchKey(string? Text, float Confidence, long Micros, string ProductId);

/// <summary>
/// The search orders, shared by both read models so they cannot disagree: the key of a row, the comparison, and
/// whether a row comes after a cursor. PostgreSQL keeps the same keys in columns (<see cref="SearchOrderSql"/>) and
/// compares them the same way: names as text in "C" collation (UTF-8 bytes, that is code points), numbers as numbers.
/// </summary>
public static class SearchOrder
{
    /// <summary>Where a product without predictions sorts by confidence: after every real confidence (0..1) either way.</summary>
    public const float NoConfidenceAscending = 2f;
    public const float NoConfidenceDescending = -1f;

    public static SearchKey KeyOf(CatalogQuery query, ProductView view, float? lowestConfidence) => query.Sort switch
    {
        CatalogSort.Name => new SearchKey(NameKey(view.Name), 0, 0, view.ProductId),
        CatalogSort.Confidence => new SearchKey(null, ConfidenceKey(lowestConfidence, query.Descending), 0, view.ProductId),
        CatalogSort.Updated => new SearchKey(null, 0, UpdatedKey(view.UpdatedAt), view.ProductId),
        _ => new SearchKey(null, 0, 0, view.ProductId),
    };

    public static SearchKey KeyOf(CatalogQuery query, CatalogProjection row) => KeyOf(query, row.View, row.LowestConfidence);

    /// <summary>
    /// The name as it sorts: NFC, lower-cased, cut to <see cref="CatalogCursor.MaxKeyLength"/> characters (never inside
    /// a surrogate pair) so index entries and cursors stay small whatever a sender names a product; rows whose cut names
    /// tie are ordered by id like any tie.
    /// </summary>
    public static string NameKey(string? name)
    {
        var key = TextRules.Nfc(name ?? "").ToLowerInvariant().Replace("\0", "");
        if (key.Length <= CatalogCursor.MaxKeyLength)
        {
            return key;
        }
        var cut = CatalogCursor.MaxKeyLength;
        if (char.IsHighSurrogate(key[cut - 1]))
        {
            cut--;
        }
        return key[..cut];
    }

    public static float ConfidenceKey(float? lowest, bool descending) =>
        lowest ?? (descending ? NoConfidenceDescending : NoConfidenceAscending);

    /// <summary>Microseconds since the Unix epoch: PostgreSQL's timestamp precision, so both read models hold the same key.</summary>
    public static long UpdatedKey(DateTimeOffset at) => UpdatedKey(at.UtcDateTime);

    /// <summary>The key of a UTC time as PostgreSQL hands it back (its kind is not trusted: -infinity reads as an unspecified MinValue).</summary>
    public static long UpdatedKey(DateTime utc) => utc.Ticks / 10 - DateTime.UnixEpoch.Ticks / 10;

    public static DateTime UpdatedAt(long micros) => new(DateTimeOffset.UnixEpoch.UtcTicks + micros * 10, DateTimeKind.Utc);

    /// <summary>Negative when <paramref name="a"/> comes first in the query's order (direction included).</summary>
    public static int Compare(CatalogQuery query, SearchKey a, SearchKey b)
    {
        var order = query.Sort switch
        {
            CatalogSort.Name => CompareCodePoints(a.Text!, b.Text!),
            CatalogSort.Confidence => a.Confidence.CompareTo(b.Confidence),
            CatalogSort.Updated => a.Micros.CompareTo(b.Micros),
            _ => 0,
        };
        // Product ids are ASCII (ProductEventValidator), so ordinal order is PostgreSQL's "C" order.
        if (order == 0) order = string.CompareOrdinal(a.ProductId, b.ProductId);
        return query.Descending ? -order : order;
    }

    public static IComparer<SearchKey> Comparer(CatalogQuery query) => Comparer<SearchKey>.Create((a, b) => Compare(query, a, b));

    /// <summary>Whether <paramref name="row"/> comes after the cursor's row in the query's order.</summary>
    public static bool After(CatalogQuery query, SearchKey row, SearchKey cursor) => Compare(query, row, cursor) > 0;

    public static string CursorOf(CatalogQuery query, SearchKey key) =>
        new CatalogCursor(query.Sort, query.Descending, KeyText(query.Sort, key), key.ProductId).Encode();

    /// <summary>The key a cursor carries (valid: <see cref="CatalogQueryRules.Validate"/> checked it belongs to the query).</summary>
    public static SearchKey KeyOf(CatalogCursor cursor) => cursor.Sort switch
    {
        CatalogSort.Name => new SearchKey(cursor.Key, 0, 0, cursor.ProductId),
        CatalogSort.Confidence => new SearchKey(null, float.Parse(cursor.Key!, CultureInfo.InvariantCulture), 0, cursor.ProductId),
        CatalogSort.Updated => new SearchKey(null, 0, long.Parse(cursor.Key!, CultureInfo.InvariantCulture), cursor.ProductId),
        _ => new SearchKey(null, 0, 0, cursor.ProductId),
    };

    private static string? KeyText(CatalogSort sort, SearchKey key) => sort switch
    {
        CatalogSort.Name => key.Text,
        CatalogSort.Confidence => key.Confidence.ToString("R", CultureInfo.InvariantCulture),
        CatalogSort.Updated => key.Micros.ToString(CultureInfo.InvariantCulture),
        _ => null,
    };

    /// <summary>
    /// Code point order (what UTF-8 bytes compare as in PostgreSQL's "C" collation). Ordinal UTF-16 order differs only
    /// where a surrogate (a code point above U+FFFF) meets U+E000..U+FFFF, so those units are moved past each other.
    /// </summary>
    public static int CompareCodePoints(string a, string b)
    {
        var length = Math.Min(a.Length, b.Length);
        for (var i = 0; i < length; i++)
        {
            if (a[i] != b[i])
            {
                return Rank(a[i]).CompareTo(Rank(b[i]));
            }
        }
        return a.Length.CompareTo(b.Length);

        static int Rank(char c) => c switch
        {
            >= '\uD800' and <= '\uDFFF' => c + 0x2000,
            >= '\uE000' => c - 0x800,
            _ => c,
        };
    }
}
