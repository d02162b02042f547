using Enrichment.Abstractions;
using Npgsql;
using NpgsqlTypes;

namespace Enrichment.Persistence.Catalog;

/// <summary>
/// <see cref="SearchOrder"/> in SQL over <c>catalog_products</c>: each order's key expression is the one a btree index
/// of Enrichment-SearchOrder.sql is built on (index and query must spell it alike for the planner to match them), so a
/// page is read along the index from the cursor on and page 1,000 costs what page 1 does.
/// </summary>
internal static class SearchOrderSql
{
    /// <summary>The key column or expression of a non-id order (its values are what <see cref="SearchOrder.KeyOf(CatalogQuery, CatalogProjection)"/> computes).</summary>
    public static string KeyExpression(CatalogQuery query) => query.Sort switch
    {
        CatalogSort.Name => "p.sort_name",
        CatalogSort.Confidence => query.Descending
            ? "COALESCE(p.lowest_confidence, (-1)::real)"
            : "COALESCE(p.lowest_confidence, 2::real)",
        CatalogSort.Updated => "p.updated_at",
        _ => throw new ArgumentOutOfRangeException(nameof(query), query.Sort, "the id order has no key besides the id"),
    };

    /// <summary>The page's rows from the cursor on; the key comes back as a second column for the next cursor.</summary>
    public static (string Select, string? After, string OrderBy) Page(CatalogQuery query, bool hasCursor)
    {
        var direction = query.Descending ? "DESC" : "ASC";
        var compare = query.Descending ? "<" : ">";
        if (query.Sort == CatalogSort.Id)
        {
            return ("p.state::text", hasCursor ? $"p.product_id {compare} @after_id" : null, $"p.product_id {direction}");
        }
        var key = KeyExpression(query);
        // A row comparison on (key, id) is one index range condition: the scan starts at the cursor instead of skipping rows.
        return ($"p.state::text, {key}", hasCursor ? $"({key}, p.product_id) {compare} (@after_key, @after_id)" : null,
            $"{key} {direction}, p.product_id {direction}");
    }

    public static void AddCursor(NpgsqlParameterCollection parameters, CatalogQuery query, SearchKey cursor)
    {
        parameters.Add(new NpgsqlParameter("@after_id", NpgsqlDbType.Text) { Value = cursor.ProductId });
        switch (query.Sort)
        {
            case CatalogSort.Name:
                parameters.Add(new NpgsqlParameter("@after_key", NpgsqlDbType.Text) { Value = cursor.Text! });
                break;
            case CatalogSort.Confidence:
                parameters.Add(new NpgsqlParameter("@after_key", NpgsqlDbType.Real) { Value = cursor.Confidence });
                break;
            case CatalogSort.Updated:
                parameters.Add(new NpgsqlParameter("@after_key", NpgsqlDbType.TimestampTz) { Value = SearchOrder.UpdatedAt(cursor.Micros) });
                break;
        }
    }

    /// <summary>
    /// The row's key as the table holds it (read back, not recomputed from the state: a backfilled row's key is the
    /// one the index orders it by, so its cursor continues exactly after it).
    /// </summary>
    public static SearchKey KeyOf(CatalogQuery query, NpgsqlDataReader reader, string productId) => query.Sort switch
    {
        CatalogSort.Name => new SearchKey(reader.GetString(1), 0, 0, productId),
        CatalogSort.Confidence => new SearchKey(null, reader.GetFloat(1), 0, productId),
        CatalogSort.Updated => new SearchKey(null, 0, SearchOrder.UpdatedKey(reader.GetFieldValue<DateTime>(1)), productId),
        _ => new SearchKey(null, 0, 0, productId),
    };
}
