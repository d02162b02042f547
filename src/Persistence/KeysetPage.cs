namespace Enrichment.Persistence;

/// <summary>
/// Keyset pages read one row more than they return: the extra row says whether another page exists, without counting.
/// Shared by the read models and the rejection logs, in memory and in PostgreSQL.
/// </summary>
internal static class KeysetPage
{
    /// <summary>The first <paramref name="limit"/> rows, and the cursor after the last of them when a further row exists.</summary>
    public static (List<T> Items, string? NextCursor) Of<T>(IEnumerable<T> rowsPlusOne, int limit, Func<T, string> cursorOf)
    {
        var rows = rowsPlusOne.Take(limit + 1).ToList();
        if (rows.Count <= limit)
        {
            return (rows, null);
        }
        rows.RemoveAt(limit);
        return (rows, cursorOf(rows[^1]));
    }
}
