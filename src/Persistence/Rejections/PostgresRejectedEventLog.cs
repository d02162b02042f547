using Enrichment.Abstractions;
using Npgsql;
using NpgsqlTypes;

namespace Enrichment.Persistence.Rejections;

/// <summary>
/// The rejection log in PostgreSQL (table <c>rejected_events</c>, created by Enrichment-Rejected.sql). One insert per
/// rejection; every <see cref="TrimEvery"/>th also deletes what fell out of the newest <paramref name="keep"/> rows,
/// a range of the primary key, so the table stays bounded without a scan.
/// </summary>
public sealed class PostgresRejectedEventLog(NpgsqlDataSource dataSource, int keep) : IRejectedEventLog
{
    private const int TrimEvery = 1000;

    private static readonly string Append = $"""
        WITH added AS (
            INSERT INTO rejected_events (source, event_id, product_id, reason, raw_excerpt, rejected_at)
            VALUES (@source, @event_id, @product_id, @reason, @raw_excerpt, @rejected_at)
            RETURNING sequence)
        DELETE FROM rejected_events
        WHERE (SELECT sequence FROM added) % {TrimEvery} = 0 AND sequence <= (SELECT sequence FROM added) - @keep
        """;

    // Rows past the retention bound may wait for the next trim; reads never show them.
    private const string Kept = "sequence > (SELECT coalesce(max(sequence), 0) FROM rejected_events) - @keep";

    // The filter (RejectedFilter.Matches says the same): the reason contains the text, case-insensitively (strpos over
    // lower(), so % and _ in the text are plain characters); the product id is equal. No index serves them: a filtered
    // read walks the kept rows newest first (the primary key), bounded by the retention bound, not by the table.
    private const string Matching = """
        (@reason::text IS NULL OR strpos(lower(reason), lower(@reason)) > 0)
        AND (@product_id::text IS NULL OR product_id = @product_id)
        """;

    private const string Page = $"""
        SELECT sequence, source, event_id, product_id, reason, raw_excerpt, rejected_at FROM rejected_events
        WHERE {Kept} AND (@before::bigint IS NULL OR sequence < @before) AND {Matching}
        ORDER BY sequence DESC LIMIT @take
        """;

    private const string Count = $"SELECT count(*) FROM rejected_events WHERE {Kept} AND {Matching}";

    public async Task AppendAsync(RejectedEvent rejected, CancellationToken ct = default)
    {
        var row = rejected.Bounded();
        await using var command = dataSource.CreateCommand(Append);
        command.Parameters.AddWithValue("source", row.Source);
        command.Parameters.Add(Text("event_id", row.EventId));
        command.Parameters.Add(Text("product_id", row.ProductId));
        command.Parameters.AddWithValue("reason", row.Reason);
        command.Parameters.Add(Text("raw_excerpt", row.RawExcerpt));
        command.Parameters.AddWithValue("rejected_at", row.RejectedAt);
        command.Parameters.AddWithValue("keep", (long)keep);
        await command.ExecuteNonQueryAsync(ct);
    }

    public async Task<RejectedPage> ListAsync(long? beforeSequence, int take, RejectedFilter? filter = null, CancellationToken ct = default)
    {
        await using var batch = dataSource.CreateBatch();
        var page = new NpgsqlBatchCommand(Page);
        page.Parameters.Add(new NpgsqlParameter("before", NpgsqlDbType.Bigint) { Value = (object?)beforeSequence ?? DBNull.Value });
        page.Parameters.AddWithValue("take", take + 1);
        page.Parameters.AddWithValue("keep", (long)keep);
        AddFilter(page, filter);
        batch.BatchCommands.Add(page);
        var count = new NpgsqlBatchCommand(Count);
        count.Parameters.AddWithValue("keep", (long)keep);
        AddFilter(count, filter);
        batch.BatchCommands.Add(count);
        await using var reader = await batch.ExecuteReaderAsync(ct);
        var rows = new List<(long Sequence, RejectedEvent Row)>();
        while (await reader.ReadAsync(ct))
        {
            rows.Add((reader.GetInt64(0), new RejectedEvent(reader.GetString(1), Nullable(reader, 2), Nullable(reader, 3), reader.GetString(4),
                Nullable(reader, 5), reader.GetFieldValue<DateTimeOffset>(6))));
        }
        await reader.NextResultAsync(ct);
        await reader.ReadAsync(ct);
        var total = reader.GetInt64(0);
        var (items, next) = KeysetPage.Of(rows, take, r => RejectedPage.Cursor(r.Sequence));
        return new RejectedPage(total, items.Select(i => i.Row).ToArray(), next);
    }

    private static void AddFilter(NpgsqlBatchCommand command, RejectedFilter? filter)
    {
        command.Parameters.Add(Text("reason", string.IsNullOrEmpty(filter?.Reason) ? null : filter.Reason));
        command.Parameters.Add(Text("product_id", string.IsNullOrEmpty(filter?.ProductId) ? null : filter.ProductId));
    }

    private static NpgsqlParameter Text(string name, string? value) => new(name, NpgsqlDbType.Text) { Value = (object?)value ?? DBNull.Value };

    private static string? Nullable(NpgsqlDataReader reader, int column) => reader.IsDBNull(column) ? null : reader.GetString(column);
}
