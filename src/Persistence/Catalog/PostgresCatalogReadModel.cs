using System.Text.Json;
using Enrichment.Abstractions;
using Npgsql;
using NpgsqlTypes;

namespace Enrichment.Persistence.Catalog;

/// <summary>
/// The read model in PostgreSQL (tables <c>catalog_products</c> and <c>catalog_pending</c>, created by
/// Enrichment-Catalog.sql). A projection is one upsert of one row, whatever the catalogue's size; a page is read in
/// product-id order from where the cursor left off, so page 1,000 costs what page 1 does.
/// </summary>
/// <param name="exactCountLimit">Results up to this size get exact totals and facets; larger ones are estimated from a
/// sample of about <paramref name="sampleRows"/> rows, so a broad search costs the same at 10^6 products as at 10^5.</param>
public sealed class PostgresCatalogReadModel(NpgsqlDataSource dataSource, int exactCountLimit = 10_000, int sampleRows = 20_000) : ICatalogReadModel
{
    private static readonly string[] Columns = ["product_id", "revision", "labelled", "lowest_confidence", "terms", "words", "view",
        .. AttributeNames.Searchable.SelectMany(a => new[] { $"{a}_c", $"{a}_p", $"{a}_pc", $"{a}_e" })];

    private static readonly string Upsert = $"""
        INSERT INTO catalog_products ({string.Join(", ", Columns)})
        VALUES ({string.Join(", ", Columns.Select(c => c switch
        {
            "words" => "array_to_tsvector(@words)",
            "view" => "@view::json",
            _ => "@" + c,
        }))})
        ON CONFLICT (product_id) DO UPDATE
            SET {string.Join(", ", Columns.Skip(1).Select(c => $"{c} = excluded.{c}"))}
            WHERE catalog_products.revision < excluded.revision
        """;

    private const string ClearNote = "DELETE FROM catalog_pending WHERE product_id = @product_id";

    private const string Note = """
        INSERT INTO catalog_pending (product_id, noted_at) VALUES (@product_id, now())
        ON CONFLICT (product_id) DO UPDATE SET noted_at = excluded.noted_at
        """;

    private const string Claim = """
        WITH picked AS (
            SELECT product_id FROM catalog_pending
            WHERE noted_at <= now() - @older_than
            ORDER BY noted_at
            LIMIT @max
            FOR UPDATE SKIP LOCKED)
        UPDATE catalog_pending c SET noted_at = now() + @lease
        FROM picked WHERE c.product_id = picked.product_id
        RETURNING c.product_id
        """;

    private const string Labelled = """
        SELECT view::text FROM catalog_products
        WHERE labelled AND (@after::text IS NULL OR product_id > @after)
        ORDER BY product_id LIMIT @limit
        """;

    public async Task NoteChangeAsync(string productId, CancellationToken ct = default)
    {
        await using var command = dataSource.CreateCommand(Note);
        command.Parameters.AddWithValue("product_id", productId);
        await command.ExecuteNonQueryAsync(ct);
    }

    public async Task ProjectAsync(string productId, ProductView? product, long revision, CancellationToken ct = default)
    {
        await using var batch = dataSource.CreateBatch();
        if (product is not null)
        {
            var upsert = new NpgsqlBatchCommand(Upsert);
            AddRow(upsert.Parameters, CatalogProjection.Of(product, revision));
            batch.BatchCommands.Add(upsert);
        }
        var clear = new NpgsqlBatchCommand(ClearNote);
        clear.Parameters.AddWithValue("product_id", productId);
        batch.BatchCommands.Add(clear);
        await batch.ExecuteNonQueryAsync(ct);
    }

    public async Task<IReadOnlyList<string>> ClaimUnprojectedAsync(TimeSpan olderThan, int max, TimeSpan lease, CancellationToken ct = default)
    {
        await using var command = dataSource.CreateCommand(Claim);
        command.Parameters.AddWithValue("older_than", olderThan);
        command.Parameters.AddWithValue("max", max);
        command.Parameters.AddWithValue("lease", lease);
        var ids = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            ids.Add(reader.GetString(0));
        }
        return ids;
    }

    public async Task<CatalogPage> SearchAsync(CatalogQuery query, CancellationToken ct = default)
    {
        CatalogQueryRules.EnsureValid(query);
        var sql = new CatalogSql(query);
        var after = query.After is null ? null : CatalogQueryRules.DecodeCursor(query.After);
        await using var connection = await dataSource.OpenConnectionAsync(ct);

        var rows = new List<ProductView>();
        await using (var page = sql.Page(after, query.Limit + 1))
        {
            page.Connection = connection;
            await using var reader = await page.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                rows.Add(Deserialize(reader.GetString(0)));
            }
        }
        var (items, next) = KeysetPage.Of(rows, query.Limit, view => CatalogQueryRules.EncodeCursor(view.ProductId));

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
        return new CatalogPage(items.ToArray(), next, total, facets, estimated);
    }

    public async Task<ReviewPage> ReviewAsync(ReviewQuery query, CancellationToken ct = default)
    {
        var cursor = query.After is null ? null : ReviewCursor.Parse(query.After);
        await using var command = dataSource.CreateCommand(ReviewSql(query, cursor is not null));
        command.Parameters.AddWithValue("threshold", query.Threshold);
        command.Parameters.AddWithValue("reviewed", ReviewedTerm(query.Attribute));
        command.Parameters.AddWithValue("limit", query.Limit + 1);
        if (cursor is { } c)
        {
            command.Parameters.AddWithValue("c", c.Confidence);
            command.Parameters.AddWithValue("id", c.ProductId);
        }
        var rows = new List<(ProductView View, float Confidence)>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            rows.Add((Deserialize(reader.GetString(0)), reader.GetFloat(1)));
        }
        var (items, next) = KeysetPage.Of(rows, query.Limit, r => ReviewCursor.Of(r.Confidence, r.View.ProductId));
        return new ReviewPage(items.Select(r => r.View).ToArray(), next);
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
        var condition = query.Kind == ReviewKind.Disagreement
            ? $"{a}_c IS NOT NULL AND {a}_c <> {a}_p AND {a}_pc >= @threshold"
            : $"{a}_pc < @threshold";
        var keyset = hasCursor ? $" AND ({a}_pc, product_id) {(descending ? "<" : ">")} (@c, @id)" : "";
        var direction = descending ? "DESC" : "ASC";
        return $"""
            SELECT view::text, {a}_pc FROM catalog_products
            WHERE {a}_p IS NOT NULL AND {a}_pc IS NOT NULL AND NOT terms @> ARRAY[@reviewed]{keyset} AND {condition}
            ORDER BY {a}_pc {direction}, product_id {direction}
            LIMIT @limit
            """;
    }

    public async Task<IReadOnlyList<string>> ListReviewedAsync(string? afterProductId, int limit, CancellationToken ct = default)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT product_id FROM catalog_products
            WHERE terms @> ARRAY[@reviewed] AND (@after::text IS NULL OR product_id > @after)
            ORDER BY product_id LIMIT @limit
            """);
        command.Parameters.AddWithValue("reviewed", AnyReviewTerm);
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

    private const string AnyReviewTerm = "r:*";

    private static string ReviewedTerm(string attribute) => $"r:{attribute}";

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

    private static void AddRow(NpgsqlParameterCollection parameters, CatalogProjection row)
    {
        parameters.AddWithValue("product_id", row.ProductId);
        parameters.AddWithValue("revision", row.Revision);
        parameters.AddWithValue("labelled", row.IsLabelled);
        parameters.Add(Nullable("lowest_confidence", row.LowestConfidence, NpgsqlDbType.Real));
        parameters.Add(new NpgsqlParameter("terms", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = Terms(row) });
        parameters.Add(new NpgsqlParameter("words", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = row.Words.ToArray() });
        parameters.Add(new NpgsqlParameter("view", NpgsqlDbType.Text) { Value = JsonSerializer.Serialize(row.View, ViewJson.Options) });
        foreach (var name in AttributeNames.Searchable)
        {
            var a = row.Attributes.GetValueOrDefault(name);
            parameters.Add(Nullable($"{name}_c", a?.Catalogue, NpgsqlDbType.Text));
            parameters.Add(Nullable($"{name}_p", a?.Predicted, NpgsqlDbType.Text));
            parameters.Add(Nullable($"{name}_pc", a?.Confidence, NpgsqlDbType.Real));
            parameters.Add(Nullable($"{name}_e", a?.Effective, NpgsqlDbType.Text));
        }
    }

    private static string[] Terms(CatalogProjection row)
    {
        var terms = new List<string> { CatalogSql.StatusTerm(row.View.EnrichmentStatus) };
        if (row.View.Enrichment?.ModelVersion is { } model)
        {
            terms.Add(CatalogSql.ModelTerm(model));
        }
        foreach (var (name, a) in row.Attributes)
        {
            if (a.Catalogue is { } c) terms.Add(CatalogSql.Term(AttributeSource.Catalogue, name, c));
            if (a.Predicted is { } p) terms.Add(CatalogSql.Term(AttributeSource.Predicted, name, p));
            // The effective value is the catalogue's whenever there is one: only a prediction standing in needs its own term.
            if (a.Catalogue is null && a.Effective is { } e) terms.Add(CatalogSql.Term(AttributeSource.Effective, name, e));
        }
        foreach (var reviewed in row.View.Reviews.Keys)
        {
            terms.Add(ReviewedTerm(reviewed));
        }
        terms.AddRange(row.ProvenanceTerms.Select(CatalogSql.ProvenanceTerm));
        if (row.IsReviewed)
        {
            terms.Add(AnyReviewTerm);
        }
        return terms.Distinct().ToArray();
    }

    private static NpgsqlParameter Nullable(string name, object? value, NpgsqlDbType type) =>
        new(name, type) { Value = value ?? DBNull.Value };

    private static ProductView Deserialize(string json) =>
        JsonSerializer.Deserialize<ProductView>(json, ViewJson.Options)
        ?? throw new InvalidOperationException("catalog_products.view holds null");
}

/// <summary>How the read model stores a product's view: the JSON a client would see.</summary>
internal static class ViewJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);
}
