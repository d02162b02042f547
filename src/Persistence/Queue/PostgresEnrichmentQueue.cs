using Enrichment.Abstractions;
using Npgsql;
using NpgsqlTypes;

namespace Enrichment.Persistence.Queue;

/// <summary>
/// The enrichment queue in PostgreSQL (table <c>enrichment_queue</c>, created by Enrichment-Queue.sql). Claims take
/// due rows with <c>FOR UPDATE SKIP LOCKED</c>, so any number of silos pull concurrently without blocking each other
/// and no row goes to two claimants; every statement touches only the rows it names or claims.
/// </summary>
public sealed class PostgresEnrichmentQueue(NpgsqlDataSource dataSource) : IEnrichmentQueue
{
    private const string Claim = """
        WITH picked AS (
            SELECT product_id FROM enrichment_queue
            WHERE expensive = @expensive AND due_at <= now()
            ORDER BY due_at
            LIMIT @max
            FOR UPDATE SKIP LOCKED)
        UPDATE enrichment_queue q
        SET attempts = q.attempts + 1, due_at = now() + @lease, claimed_by = @owner
        FROM picked
        WHERE q.product_id = picked.product_id
        RETURNING q.product_id, q.image_sha256, q.sequence, q.attempts, q.enqueued_at
        """;

    private const string Complete = """
        DELETE FROM enrichment_queue q
        USING unnest(@products, @sequences, @attempts) AS d(product_id, sequence, attempts)
        WHERE q.product_id = d.product_id AND q.sequence = d.sequence AND q.attempts = d.attempts
        """;

    private const string Retry = """
        UPDATE enrichment_queue q
        SET due_at = CASE WHEN d.delay_ms < 0 THEN 'infinity'::timestamptz ELSE now() + d.delay_ms * interval '1 millisecond' END,
            claimed_by = NULL, last_error = d.error
        FROM unnest(@products, @sequences, @attempts, @delays, @errors) AS d(product_id, sequence, attempts, delay_ms, error)
        WHERE q.product_id = d.product_id AND q.sequence = d.sequence AND q.attempts = d.attempts
        """;

    private const string Stats = """
        SELECT count(*) FILTER (WHERE due_at <> 'infinity'),
               count(*) FILTER (WHERE due_at = 'infinity'),
               min(enqueued_at) FILTER (WHERE due_at <> 'infinity'),
               now()
        FROM enrichment_queue
        """;

    public async Task<IReadOnlyList<EnrichmentWorkItem>> ClaimAsync(int max, string owner, TimeSpan lease,
        PhotoCost cost = PhotoCost.Ordinary, CancellationToken ct = default)
    {
        await using var cmd = dataSource.CreateCommand(Claim);
        cmd.Parameters.AddWithValue("max", max);
        cmd.Parameters.AddWithValue("expensive", cost == PhotoCost.Expensive);
        cmd.Parameters.AddWithValue("lease", lease);
        cmd.Parameters.AddWithValue("owner", owner);
        var items = new List<EnrichmentWorkItem>(max);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            items.Add(new EnrichmentWorkItem(reader.GetString(0), reader.GetString(1), reader.GetInt64(2), reader.GetInt32(3),
                reader.GetFieldValue<DateTimeOffset>(4)));
        }
        return items;
    }

    public async Task CompleteAsync(IReadOnlyList<EnrichmentWorkItem> items, CancellationToken ct = default)
    {
        if (items.Count == 0)
        {
            return;
        }
        await using var cmd = dataSource.CreateCommand(Complete);
        AddKeys(cmd, items);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    public async Task RetryAsync(IReadOnlyList<EnrichmentRetry> retries, CancellationToken ct = default)
    {
        if (retries.Count == 0)
        {
            return;
        }
        await using var cmd = dataSource.CreateCommand(Retry);
        AddKeys(cmd, retries.Select(r => r.Item).ToList());
        cmd.Parameters.AddWithValue("delays", NpgsqlDbType.Array | NpgsqlDbType.Bigint,
            retries.Select(r => r.Delay is { } d ? (long)Math.Max(0, d.TotalMilliseconds) : -1L).ToArray());
        cmd.Parameters.AddWithValue("errors", NpgsqlDbType.Array | NpgsqlDbType.Text, retries.Select(r => r.BoundedError).ToArray());
        await cmd.ExecuteNonQueryAsync(ct);
    }

    public async Task<EnrichmentQueueStats> GetStatsAsync(CancellationToken ct = default)
    {
        await using var cmd = dataSource.CreateCommand(Stats);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return new EnrichmentQueueStats(reader.GetInt64(0), reader.GetInt64(1),
            reader.IsDBNull(2) ? null : reader.GetFieldValue<DateTimeOffset>(2), reader.GetFieldValue<DateTimeOffset>(3));
    }

    private static void AddKeys(NpgsqlCommand cmd, IReadOnlyList<EnrichmentWorkItem> items)
    {
        cmd.Parameters.AddWithValue("products", NpgsqlDbType.Array | NpgsqlDbType.Text, items.Select(i => i.ProductId).ToArray());
        cmd.Parameters.AddWithValue("sequences", NpgsqlDbType.Array | NpgsqlDbType.Bigint, items.Select(i => i.Sequence).ToArray());
        cmd.Parameters.AddWithValue("attempts", NpgsqlDbType.Array | NpgsqlDbType.Integer, items.Select(i => i.Attempt).ToArray());
    }
}

/// <summary>The queue item of a product change, written in that change's transaction (<see cref="Catalog.PostgresProductStore"/>).</summary>
internal static class QueueSql
{
    private const string Upsert = """
        INSERT INTO enrichment_queue (product_id, image_sha256, sequence, enqueued_at, due_at, expensive)
        VALUES (@product, @image, nextval('enrichment_queue_sequence'), now(), now(), @expensive)
        ON CONFLICT (product_id) DO UPDATE
            SET image_sha256 = excluded.image_sha256, sequence = excluded.sequence, attempts = 0, expensive = excluded.expensive,
                enqueued_at = excluded.enqueued_at, due_at = excluded.due_at, claimed_by = NULL, last_error = NULL
        """;

    /// <summary>
    /// Queues the product for @image. Restarted, the item starts afresh (new sequence, due now, attempts reset) even
    /// when one exists; otherwise an item already waiting for this photo keeps its place, attempts and lease.
    /// </summary>
    public static string Enqueue(bool restart) =>
        restart ? Upsert : Upsert + " WHERE enrichment_queue.image_sha256 <> excluded.image_sha256";
}
