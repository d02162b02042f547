using System.Text.Json;
using System.Text.Json.Serialization;
using Enrichment.Abstractions;
using Enrichment.Persistence.Queue;
using Npgsql;
using NpgsqlTypes;

namespace Enrichment.Persistence.Catalog;

/// <summary>
/// Products in PostgreSQL: each product is one row of <c>catalog_products</c> (its state as JSON beside the columns
/// search reads), so storing a change and making it searchable are the same write. A change is one batch, one round
/// trip and one implicit transaction: the guarded row upsert, the product's value spellings, the queue item and, for a
/// review decision, its review-log row.
/// </summary>
/// <param name="expensivePixels">Above this decode cost a product's queue item waits among the expensive ones (<see cref="PhotoCostRule"/>).</param>
public sealed class PostgresProductStore(NpgsqlDataSource dataSource, long expensivePixels = PhotoCostRule.DefaultExpensivePixels) : IProductStore
{
    private static readonly string[] Columns = ["product_id", "revision", "labelled", "lowest_confidence", "terms", "words", "state", "model_version", "sort_name", "updated_at",
        .. AttributeNames.Searchable.SelectMany(a => new[] { $"{a}_c", $"{a}_p", $"{a}_pc", $"{a}_e" })];

    /// <summary>
    /// Writes the row only where the stored revision is the expected one (a new product: none stored), and makes the
    /// whole batch fail otherwise: <c>enrichment_expect_written</c> raises, so the queue statement of a stale writer
    /// rolls back with it.
    /// </summary>
    private static readonly string GuardedUpsert = $"""
        WITH written AS (
            INSERT INTO catalog_products ({string.Join(", ", Columns)})
            VALUES ({string.Join(", ", Columns.Select(c => c switch
            {
                "words" => "array_to_tsvector(@words)",
                "state" => "@state::json",
                _ => "@" + c,
            }))})
            ON CONFLICT (product_id) DO UPDATE
                SET {string.Join(", ", Columns.Skip(1).Select(c => $"{c} = excluded.{c}"))}
                WHERE catalog_products.revision = @expected
            RETURNING 1)
        SELECT enrichment_expect_written((SELECT count(*) FROM written), @product_id, @expected)
        """;

    /// <summary>
    /// The product's spellings into the catalogue's spelling map (Enrichment-Spellings.sql): the first spelling of a
    /// value stays, so a value already there costs one index probe and takes no lock; rows go in key order, the same
    /// for every writer.
    /// </summary>
    private const string AddSpellings = """
        INSERT INTO catalog_spellings (attribute, value, spelling)
        SELECT attribute, value, spelling FROM unnest(@spelling_attributes, @spelling_values, @spellings) AS given (attribute, value, spelling)
        ON CONFLICT (attribute, value) DO NOTHING
        """;

    private const string Read = "SELECT revision, state::text FROM catalog_products WHERE product_id = @product_id";

    private const string ReadMany = "SELECT product_id, revision, state::text FROM catalog_products WHERE product_id = ANY(@ids)";

    private const string Dequeue = "DELETE FROM enrichment_queue WHERE product_id = @product";

    /// <summary>The SQLSTATE <c>enrichment_expect_written</c> raises (Enrichment-Products.sql).</summary>
    private const string RevisionConflict = "EN409";

    public async Task<ProductRecord?> ReadAsync(string productId, CancellationToken ct = default)
    {
        await using var command = dataSource.CreateCommand(Read);
        command.Parameters.AddWithValue("product_id", productId);
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? new ProductRecord(ProductJson.Read(reader.GetString(1)), reader.GetInt64(0)) : null;
    }

    public async Task<IReadOnlyDictionary<string, ProductRecord>> ReadManyAsync(IReadOnlyCollection<string> productIds, CancellationToken ct = default)
    {
        var found = new Dictionary<string, ProductRecord>(StringComparer.Ordinal);
        if (productIds.Count == 0)
        {
            return found;
        }
        await using var command = dataSource.CreateCommand(ReadMany);
        command.Parameters.Add(new NpgsqlParameter("ids", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = productIds.Distinct().ToArray() });
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            found[reader.GetString(0)] = new ProductRecord(ProductJson.Read(reader.GetString(2)), reader.GetInt64(1));
        }
        return found;
    }

    public async Task WriteAsync(ProductWrite write, CancellationToken ct = default)
    {
        var product = write.Product;
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var batch = new NpgsqlBatch(connection);
        var view = product.ToView();
        var upsert = new NpgsqlBatchCommand(GuardedUpsert);
        AddRow(upsert.Parameters, CatalogProjection.Of(view, write.Revision), ProductJson.Write(product));
        upsert.Parameters.AddWithValue("expected", write.ExpectedRevision);
        batch.BatchCommands.Add(upsert);
        // After the guarded upsert, in the same implicit transaction: a stale writer's spellings roll back with it.
        batch.BatchCommands.Add(Spellings(ValueSpellings.Of(view)));
        var queue = new NpgsqlBatchCommand(product.NeedsEnrichment ? QueueSql.Enqueue(write.RestartEnrichment) : Dequeue);
        queue.Parameters.AddWithValue("product", product.ProductId);
        if (product.NeedsEnrichment)
        {
            queue.Parameters.AddWithValue("image", product.Image!.Sha256);
            queue.Parameters.AddWithValue("expensive", PhotoCostRule.Of(product.Images, expensivePixels) == PhotoCost.Expensive);
        }
        batch.BatchCommands.Add(queue);
        if (write.Reviewed is { } entry)
        {
            // In the same implicit transaction: a stale writer's failed guard rolls the history row back with the product.
            batch.BatchCommands.Add(Reviews.PostgresReviewLog.AddAppend(entry));
        }
        try
        {
            // Planned once per connection, not on every change (a no-op once this connection has prepared it).
            await batch.PrepareAsync(ct);
            await batch.ExecuteNonQueryAsync(ct);
        }
        catch (PostgresException ex) when (ex.SqlState == RevisionConflict)
        {
            throw new ProductRevisionConflictException(product.ProductId, write.ExpectedRevision);
        }
    }

    private static NpgsqlBatchCommand Spellings(IReadOnlyList<ValueSpelling> spellings)
    {
        var command = new NpgsqlBatchCommand(AddSpellings);
        command.Parameters.Add(new NpgsqlParameter("spelling_attributes", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = spellings.Select(s => s.Attribute).ToArray() });
        command.Parameters.Add(new NpgsqlParameter("spelling_values", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = spellings.Select(s => s.Value).ToArray() });
        command.Parameters.Add(new NpgsqlParameter("spellings", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = spellings.Select(s => s.Spelling).ToArray() });
        return command;
    }

    private static void AddRow(NpgsqlParameterCollection parameters, CatalogProjection row, string state)
    {
        parameters.AddWithValue("product_id", row.ProductId);
        parameters.AddWithValue("revision", row.Revision);
        parameters.AddWithValue("labelled", row.IsLabelled);
        parameters.Add(Nullable("lowest_confidence", row.LowestConfidence, NpgsqlDbType.Real));
        parameters.Add(new NpgsqlParameter("terms", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = CatalogSql.TermsOf(row) });
        parameters.Add(new NpgsqlParameter("words", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = row.Words.ToArray() });
        parameters.Add(new NpgsqlParameter("state", NpgsqlDbType.Text) { Value = state });
        parameters.Add(Nullable("model_version", row.View.Enrichment?.ModelVersion, NpgsqlDbType.Text));
        // The search orders' keys (Enrichment-SearchOrder.sql), as SearchOrder computes them for the memory read model.
        parameters.Add(new NpgsqlParameter("sort_name", NpgsqlDbType.Text) { Value = SearchOrder.NameKey(row.View.Name) });
        parameters.Add(new NpgsqlParameter("updated_at", NpgsqlDbType.TimestampTz) { Value = SearchOrder.UpdatedAt(SearchOrder.UpdatedKey(row.View.UpdatedAt)) });
        foreach (var name in AttributeNames.Searchable)
        {
            var a = row.Attributes.GetValueOrDefault(name);
            parameters.Add(Nullable($"{name}_c", a?.Catalogue, NpgsqlDbType.Text));
            parameters.Add(Nullable($"{name}_p", a?.Predicted, NpgsqlDbType.Text));
            parameters.Add(Nullable($"{name}_pc", a?.Confidence, NpgsqlDbType.Real));
            parameters.Add(Nullable($"{name}_e", a?.Effective, NpgsqlDbType.Text));
        }
    }

    private static NpgsqlParameter Nullable(string name, object? value, NpgsqlDbType type) =>
        new(name, type) { Value = value ?? DBNull.Value };
}

/// <summary>How a product is kept as JSON (in <c>catalog_products.state</c>).</summary>
/// <remarks>Web naming, the same as the read model's earlier copy of the wire view, so rows written before products
/// moved into this table read as products (a schema step renamed that column). Statuses are written by name, so SQL
/// over the table reads them; the numbers older rows hold still read.</remarks>
public static class ProductJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    public static string Write(Product product) => JsonSerializer.Serialize(product, Options);

    public static Product Read(string json) =>
        JsonSerializer.Deserialize<Product>(json, Options) ?? throw new InvalidOperationException("catalog_products.state holds null");
}
