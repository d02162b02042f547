using Enrichment.Abstractions;
using Npgsql;
using NpgsqlTypes;

namespace Enrichment.Persistence.Catalog;

/// <summary>
/// The read model in PostgreSQL: the rows of <c>catalog_products</c> (Enrichment-Catalog.sql), which
/// <see cref="PostgresProductStore"/> writes with each product change. A page is read in the query's order
/// (<see cref="SearchOrderSql"/>) from where the cursor left off, along an index, so page 1,000 costs what page 1 does.
/// </summary>
/// <param name="exactCountLimit">Results up to this size get exact totals and facets; larger ones are estimated from a
/// sample of about <paramref name="sampleRows"/> rows, so a broad search costs the same at 10^6 products as at 10^5.</param>
public sealed class PostgresCatalogReadModel(NpgsqlDataSource dataSource, int exactCountLimit = 10_000, int sampleRows = 20_000) : ICatalogReadModel
{
    private const string Labelled = """
        SELECT state::text FROM catalog_products
        WHERE labelled AND (@after::text IS NULL OR product_id > @after)
        ORDER BY product_id LIMIT @limit
        """;

    public async Task<CatalogPage> SearchAsync(CatalogQuery query, CancellationToken ct = default)
    {
        CatalogQueryRules.EnsureValid(query);
        var sql = new CatalogSql(query);
        SearchKey? after = query.After is null ? null : SearchOrder.KeyOf(CatalogCursor.Decode(query.After)!);
        await using var connection = await dataSource.OpenConnectionAsync(ct);

        var rows = new List<(ProductView View, SearchKey Key)>();
        await using (var page = sql.Page(after, query.Limit + 1))
        {
            page.Connection = connection;
            await using var reader = await page.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var view = Deserialize(reader.GetString(0));
                rows.Add((view, SearchOrderSql.KeyOf(query, reader, view.ProductId)));
            }
        }
        var (items, next) = KeysetPage.Of(rows, query.Limit, row => SearchOrder.CursorOf(query, row.Key));

        long? total = null;
        AttributeFacet[]? facets = null;
        var estimated = false;
        if (query.IncludeTotal || query.IncludeFacets)
        {
            var count = await ScalarAsync(sql.CappedCount(exactCountLimit + 1), connection, ct);
            double? samplePercent = null;
            var scale = 1.0;
            if (count > exactCountLimit)
            {
                var tableRows = await TableRowsAsync(connection, ct);
                samplePercent = tableRows <= sampleRows ? 100 : Math.Max(0.01, 100.0 * sampleRows / tableRows);
                var (matched, scanned) = await SampleAsync(sql.SampledCount(samplePercent.Value), connection, ct);
                // A ratio estimate: the matching share of the rows actually drawn, times the table. It does not
                // inherit the randomness of how many blocks the sample happened to draw.
                scale = samplePercent < 100 && scanned > 0 ? tableRows / scanned : 1;
                estimated = samplePercent < 100;
                count = (long)Math.Round(matched * scale);
            }
            total = query.IncludeTotal ? count : null;
            if (query.IncludeFacets)
            {
                await using var facetCommand = sql.Facets(samplePercent);
                facetCommand.Connection = connection;
                facets = await ReadFacetsAsync(facetCommand, scale, ct);
            }
        }
        return new CatalogPage(items.Select(row => row.View).ToArray(), next, total, facets, estimated);
    }

    public async Task<string?> KnownValueAsync(string attribute, string value, CancellationToken ct = default)
    {
        if (!AttributeNames.IsSearchable(attribute))
        {
            return null;
        }
        // One row found through the terms index; its state holds the catalogue's spelling.
        await using var command = dataSource.CreateCommand(
            "SELECT state->'knownAttributes'->>@attribute FROM catalog_products WHERE terms @> ARRAY[@term] LIMIT 1");
        command.Parameters.AddWithValue("attribute", attribute);
        command.Parameters.AddWithValue("term", CatalogSql.Term(AttributeSource.Catalogue, attribute, CatalogProjection.Normalized(value)));
        return await command.ExecuteScalarAsync(ct) as string;
    }

    public async Task<ReviewPage> ReviewAsync(ReviewQuery query, CancellationToken ct = default)
    {
        var cursor = query.After is null ? null : ReviewCursor.Parse(query.After);
        await using var batch = dataSource.CreateBatch();
        var page = new NpgsqlBatchCommand(ReviewSql(query, cursor is not null));
        page.Parameters.AddWithValue("threshold", query.Threshold);
        page.Parameters.AddWithValue("reviewed", CatalogSql.ReviewedTerm(query.Attribute));
        page.Parameters.AddWithValue("limit", query.Limit + 1);
        if (cursor is { } c)
        {
            page.Parameters.AddWithValue("c", c.Confidence);
            page.Parameters.AddWithValue("id", c.ProductId);
        }
        batch.BatchCommands.Add(page);
        // The queue's length, counted up to a cap so a queue of 10^6 costs what one of 10^4 does.
        var count = new NpgsqlBatchCommand($"SELECT count(*) FROM (SELECT 1 FROM catalog_products WHERE {ReviewCondition(query)} LIMIT @cap) capped");
        count.Parameters.AddWithValue("threshold", query.Threshold);
        count.Parameters.AddWithValue("reviewed", CatalogSql.ReviewedTerm(query.Attribute));
        count.Parameters.AddWithValue("cap", ReviewRules.MaxCountedQueue + 1);
        batch.BatchCommands.Add(count);
        var rows = new List<(ProductView View, float Confidence)>();
        await using var reader = await batch.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            rows.Add((Deserialize(reader.GetString(0)), reader.GetFloat(1)));
        }
        await reader.NextResultAsync(ct);
        await reader.ReadAsync(ct);
        var total = reader.GetInt64(0);
        var (items, next) = KeysetPage.Of(rows, query.Limit, r => ReviewCursor.Of(r.Confidence, r.View.ProductId));
        return new ReviewPage(items.Select(r => r.View).ToArray(), next, Math.Min(total, ReviewRules.MaxCountedQueue), total > ReviewRules.MaxCountedQueue);
    }

    /// <summary>
    /// The queue's rows from the cursor on, read along the attribute's (confidence, id) index. The attribute is one of
    /// <see cref="ReviewRules.Reviewable"/> (validated), so naming its columns is safe.
    /// </summary>
    private static string ReviewSql(ReviewQuery query, bool hasCursor)
    {
        if (!ReviewRules.Reviewable.Contains(query.Attribute))
        {
            throw new ArgumentException($"attribute '{query.Attribute}' has no review queue");
        }
        var a = query.Attribute;
        var descending = ReviewOrder.Descending(query);
        var keyset = hasCursor ? $" AND ({a}_pc, product_id) {(descending ? "<" : ">")} (@c, @id)" : "";
        var direction = descending ? "DESC" : "ASC";
        return $"""
            SELECT state::text, {a}_pc FROM catalog_products
            WHERE {ReviewCondition(query)}{keyset}
            ORDER BY {a}_pc {direction}, product_id {direction}
            LIMIT @limit
            """;
    }

    /// <summary>Which rows a review queue holds (the attribute is validated by <see cref="ReviewSql"/>'s caller).</summary>
    private static string ReviewCondition(ReviewQuery query)
    {
        if (!ReviewRules.Reviewable.Contains(query.Attribute))
        {
            throw new ArgumentException($"attribute '{query.Attribute}' has no review queue");
        }
        var a = query.Attribute;
        var condition = query.Kind == ReviewKind.Disagreement
            ? $"{a}_c IS NOT NULL AND {a}_c <> {a}_p AND {a}_pc >= @threshold"
            : $"{a}_pc < @threshold";
        return $"{a}_p IS NOT NULL AND {a}_pc IS NOT NULL AND NOT terms @> ARRAY[@reviewed] AND {condition}";
    }

    public async Task<IReadOnlyList<ReviewedProduct>> ListReviewedAsync(string? afterProductId, int limit, CancellationToken ct = default)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT product_id, labelled FROM catalog_products
            WHERE terms @> ARRAY[@reviewed] AND (@after::text IS NULL OR product_id > @after)
            ORDER BY product_id LIMIT @limit
            """);
        command.Parameters.AddWithValue("reviewed", CatalogSql.AnyReviewTerm);
        command.Parameters.Add(new NpgsqlParameter("after", NpgsqlDbType.Text) { Value = (object?)afterProductId ?? DBNull.Value });
        command.Parameters.AddWithValue("limit", limit);
        var ids = new List<ReviewedProduct>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            ids.Add(new ReviewedProduct(reader.GetString(0), reader.GetBoolean(1)));
        }
        return ids;
    }

        public async Task<IReadOnlyList<ProductView>> ListLabelledAsync(string? afterProductId, int limit, CancellationToken ct = default)
    {
        await using var command = dataSource.CreateCommand(Labelled);
        command.Parameters.Add(new NpgsqlParameter("after", NpgsqlDbType.Text) { Value = (object?)afterProductId ?? DBNull.Value });
        command.Parameters.AddWithValue("limit", limit);
        var views = new List<ProductView>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            views.Add(Deserialize(reader.GetString(0)));
        }
        return views;
    }

    public async Task<IReadOnlyDictionary<string, long>> CountByModelVersionAsync(CancellationToken ct = default)
    {
        // Read from the (model_version, product_id) index alone (Enrichment-ModelVersions.sql).
        await using var command = dataSource.CreateCommand(
            "SELECT model_version, count(*) FROM catalog_products WHERE model_version IS NOT NULL GROUP BY model_version");
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            counts[reader.GetString(0)] = reader.GetInt64(1);
        }
        return counts;
    }

    public async Task<IReadOnlyList<string>> ListByModelVersionAsync(string modelVersion, string? afterProductId, int limit, CancellationToken ct = default)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT product_id FROM catalog_products
            WHERE model_version = @version AND (@after::text IS NULL OR product_id > @after)
            ORDER BY model_version, product_id LIMIT @limit
            """);
        command.Parameters.AddWithValue("version", modelVersion);
        command.Parameters.Add(new NpgsqlParameter("after", NpgsqlDbType.Text) { Value = (object?)afterProductId ?? DBNull.Value });
        command.Parameters.AddWithValue("limit", limit);
        var ids = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            ids.Add(reader.GetString(0));
        }
        return ids;
    }

    /// <summary>The table's rows by the planner's estimate (kept current by autovacuum's analyze).</summary>
    private static async Task<double> TableRowsAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("SELECT GREATEST(reltuples, 0)::float8 FROM pg_class WHERE oid = 'catalog_products'::regclass", connection);
        return (double)(await command.ExecuteScalarAsync(ct))!;
    }

    private static async Task<(long Matched, long Scanned)> SampleAsync(NpgsqlCommand command, NpgsqlConnection connection, CancellationToken ct)
    {
        await using (command)
        {
            command.Connection = connection;
            await using var reader = await command.ExecuteReaderAsync(ct);
            await reader.ReadAsync(ct);
            return (reader.GetInt64(0), reader.GetInt64(1));
        }
    }

    private static async Task<long> ScalarAsync(NpgsqlCommand command, NpgsqlConnection connection, CancellationToken ct)
    {
        await using (command)
        {
            command.Connection = connection;
            return (long)(await command.ExecuteScalarAsync(ct))!;
        }
    }

    private static async Task<AttributeFacet[]> ReadFacetsAsync(NpgsqlCommand command, double scale, CancellationToken ct)
    {
        var names = AttributeNames.Searchable.Append(ProvenanceFacet.Name).ToList();
        var values = names.ToDictionary(a => a, _ => new List<FacetValue>());
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            values[reader.GetString(0)].Add(new FacetValue(reader.GetString(1), (long)Math.Round(reader.GetInt64(2) * scale)));
        }
        return names.Select(a => new AttributeFacet(a, values[a].ToArray())).ToArray();
    }

    private static ProductView Deserialize(string state) => ProductJson.Read(state).ToView();
}
