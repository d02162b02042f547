using System.Globalization;

namespace Enrichment.Abstractions;

/// <summary>
/// What search results are ordered by. Every order ends with the product id (in the same direction), so it is total
/// and a keyset cursor can continue it.
/// </summary>
public enum CatalogSort
{
    /// <summary>Product id (the default).</summary>
    Id,
    /// <summary>The name, case-insensitive (compared by code point after lower-casing).</summary>
    Name,
    /// <summary>The product's least confident prediction; products without predictions come last in either direction.</summary>
    Confidence,
    /// <summary>When the product last changed (<see cref="ProductView.UpdatedAt"/>).</summary>
    Updated,
}

/// <summary>
/// The sort's name on the API: <c>id</c>, <c>name</c>, <c>confidence</c>, <c>updated</c>, ascending, or after a
/// <c>-</c> descending (<c>-updated</c>: newest change first).
/// </summary>
public static class CatalogSortNames
{
    public static string Of(CatalogSort sort, bool descending) => (descending ? "-" : "") + sort.ToString().ToLowerInvariant();

    public static bool TryParse(string text, out CatalogSort sort, out bool descending)
    {
        descending = text.StartsWith('-');
        var name = descending ? text[1..] : text;
        sort = default;
        // Names only: an enum parse would also take numbers ("1") and other casings of words we never document.
        foreach (var candidate in Enum.GetValues<CatalogSort>())
        {
            if (candidate.ToString().ToLowerInvariant() == name)
            {
                sort = candidate;
                return true;
            }
        }
        return false;
    }

    public const string Help = "sort must be id, name, confidence or updated, ascending, or after '-' descending (-updated: newest change first)";
}

/// <summary>
/// Where a page of search results stopped: the sort it belongs to, the last row's sort key (none for the id order) and
/// its product id. Opaque to callers (base64url); the id order keeps the bare product id, the form cursors had before
/// there were sorts, so cursors handed out earlier still continue.
/// </summary>
public sealed record CatalogCursor(CatalogSort Sort, bool Descending, string? Key, string ProductId)
{
    /// <summary>Longest sort key a cursor carries, in characters (a name key is cut to this: <c>SearchOrder</c>).</summary>
    public const int MaxKeyLength = 200;

    public bool BelongsTo(CatalogQuery query) => Sort == query.Sort && Descending == query.Descending;

    public string Encode() => Sort == CatalogSort.Id && !Descending
        ? Base64Url.Encode(ProductId)
        // Product ids hold no line breaks, and the sort name none either: the key is what lies between the first and last.
        : Base64Url.Encode($"{CatalogSortNames.Of(Sort, Descending)}\n{Key}\n{ProductId}");

    /// <summary>The cursor, or null when <paramref name="cursor"/> is not one this API hands out.</summary>
    public static CatalogCursor? Decode(string cursor)
    {
        // A key of MaxKeyLength UTF-16 units is at most 3 bytes each in UTF-8; base64 takes 4 characters per 3 bytes.
        var text = Base64Url.Decode(cursor, 4 * (3 * MaxKeyLength + ProductEventValidator.MaxIdLength + 32) / 3 + 4);
        if (text is null)
        {
            return null;
        }
        var first = text.IndexOf('\n');
        if (first < 0)
        {
            return ProductEventValidator.IsValidProductId(text) ? new CatalogCursor(CatalogSort.Id, false, null, text) : null;
        }
        var last = text.LastIndexOf('\n');
        if (last == first || !CatalogSortNames.TryParse(text[..first], out var sort, out var descending))
        {
            return null;
        }
        var key = text[(first + 1)..last];
        var id = text[(last + 1)..];
        return ProductEventValidator.IsValidProductId(id) && KeyFits(sort, key)
            ? new CatalogCursor(sort, descending, sort == CatalogSort.Id ? null : key, id)
            : null;
    }

    private static bool KeyFits(CatalogSort sort, string key) => sort switch
    {
        CatalogSort.Id => key.Length == 0,
        CatalogSort.Name => key.Length <= MaxKeyLength,
        CatalogSort.Confidence => float.TryParse(key, NumberStyles.Float, CultureInfo.InvariantCulture, out var c) && float.IsFinite(c),
        CatalogSort.Updated => long.TryParse(key, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _),
        _ => false,
    };
}
