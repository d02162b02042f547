using Enrichment.Abstractions;
using Npgsql;
using NpgsqlTypes;

namespace Enrichment.Persistence.Reviews;

/// <summary>
/// The review log in PostgreSQL (table <c>review_history</c>, Enrichment-ReviewLog.sql). Rows are appended by
/// <see cref="Catalog.PostgresProductStore"/> in the batch of the product write (<see cref="AddAppend"/>); this class reads them.
/// </summary>
public sealed class PostgresReviewLog(NpgsqlDataSource dataSource) : IReviewLog
{
    private const string Columns = "product_id, entry, attribute, action, from_value, to_value, new_value, reviewed_by, reviewed_at, note, undoes";

    private const string Append = $"""
        INSERT INTO review_history ({Columns})
        VALUES (@r_product_id, @r_entry, @r_attribute, @r_action, @r_from, @r_to, @r_new_value, @r_by, @r_at, @r_note, @r_undoes)
        """;

    // Newest first along the sequence index; one product's rows along the primary key (a product has few). The
    // conditions are written per case, so each reads its index from the cursor on rather than filtering.
    private static string Newest(bool before, bool product) => $"""
        SELECT sequence, {Columns} FROM review_history
        WHERE {(before ? "sequence < @before" : "TRUE")} AND {(product ? "product_id = @product_id" : "TRUE")}
        ORDER BY sequence DESC LIMIT @take
        """;

    private static string Export(bool after) => $"""
        SELECT 0::bigint, {Columns} FROM review_history
        {(after ? "WHERE (product_id, entry) > (@after_id, @after_entry)" : "")}
        ORDER BY product_id, entry LIMIT @take
        """;

    /// <summary>The statement that appends <paramref name="entry"/>, for the product write's batch.</summary>
    public static NpgsqlBatchCommand AddAppend(ReviewHistoryEntry entry)
    {
        var command = new NpgsqlBatchCommand(Append);
        var p = command.Parameters;
        p.AddWithValue("r_product_id", entry.ProductId);
        p.AddWithValue("r_entry", entry.Entry);
        p.AddWithValue("r_attribute", entry.Attribute);
        p.AddWithValue("r_action", entry.Action.ToString());
        p.Add(Text("r_from", entry.From));
        p.Add(Text("r_to", entry.To));
        p.AddWithValue("r_new_value", entry.NewValue);
        p.AddWithValue("r_by", entry.By);
        p.AddWithValue("r_at", entry.At);
        p.Add(Text("r_note", entry.Note));
        p.Add(new NpgsqlParameter("r_undoes", NpgsqlDbType.Bigint) { Value = (object?)entry.Undoes ?? DBNull.Value });
        return command;
    }

    public async Task<ReviewLogPage> ListAsync(long? beforeSequence, int take, string? productId = null, CancellationToken ct = default)
    {
        await using var command = dataSource.CreateCommand(Newest(beforeSequence is not null, productId is not null));
        if (beforeSequence is { } before) command.Parameters.AddWithValue("before", before);
        if (productId is not null) command.Parameters.AddWithValue("product_id", productId);
        command.Parameters.AddWithValue("take", take + 1);
        var rows = await ReadAsync(command, ct);
        var (items, next) = KeysetPage.Of(rows, take, _ => "more");
        return new ReviewLogPage(items.Select(r => r.Entry).ToList(), next is null ? null : items[^1].Sequence);
    }

    public async Task<IReadOnlyList<ReviewHistoryEntry>> ExportAsync((string ProductId, long Entry)? after, int take, CancellationToken ct = default)
    {
        await using var command = dataSource.CreateCommand(Export(after is not null));
        if (after is { } key)
        {
            command.Parameters.AddWithValue("after_id", key.ProductId);
            command.Parameters.AddWithValue("after_entry", key.Entry);
        }
        command.Parameters.AddWithValue("take", take);
        return (await ReadAsync(command, ct)).Select(r => r.Entry).ToList();
    }

    private static async Task<List<(long Sequence, ReviewHistoryEntry Entry)>> ReadAsync(NpgsqlCommand command, CancellationToken ct)
    {
        var rows = new List<(long, ReviewHistoryEntry)>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            rows.Add((reader.GetInt64(0), new ReviewHistoryEntry
            {
                ProductId = reader.GetString(1),
                Entry = reader.GetInt64(2),
                Attribute = reader.GetString(3),
                Action = Enum.Parse<ReviewAction>(reader.GetString(4)),
                From = Nullable(reader, 5),
                To = Nullable(reader, 6),
                NewValue = reader.GetBoolean(7),
                By = reader.GetString(8),
                At = reader.GetFieldValue<DateTimeOffset>(9),
                Note = Nullable(reader, 10),
                Undoes = reader.IsDBNull(11) ? null : reader.GetInt64(11),
            }));
        }
        return rows;
    }

    private static NpgsqlParameter Text(string name, string? value) => new(name, NpgsqlDbType.Text) { Value = (object?)value ?? DBNull.Value };

    private static string? Nullable(NpgsqlDataReader reader, int column) => reader.IsDBNull(column) ? null : reader.GetString(column);
}
