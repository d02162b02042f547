using Enrichment.TestSupport;
using Npgsql;

namespace Enrichment.Deploy.Tests.LocalCluster;

/// <summary>What the cluster has written to PostgreSQL, read from outside it: the ingest's progress, and whether each
/// product's row and its enrichment-queue item agree.</summary>
public static class StoredProducts
{
    private const string Count = "SELECT count(*) FROM catalog_products";

    /// <summary>
    /// One statement, so one snapshot: a product waits for a model (Pending, with a photo) exactly when the queue holds
    /// an item for it, for its current photo. A product's state lives in its row alone, never in grain storage.
    /// </summary>
    private const string Disagreements = """
        SELECT coalesce(p.product_id, q.product_id) || ': ' ||
               coalesce(p.state->>'enrichmentStatus', 'no row') || ' photo ' || coalesce(p.state->'image'->>'sha256', 'none') ||
               ', queue ' || coalesce(q.image_sha256, 'none')
        FROM catalog_products p FULL JOIN enrichment_queue q ON q.product_id = p.product_id
        WHERE (p.state->>'enrichmentStatus' = 'Pending' AND p.state->'image'->>'sha256' IS NOT NULL)
                  IS DISTINCT FROM (q.product_id IS NOT NULL AND q.image_sha256 = p.state->'image'->>'sha256')
        UNION ALL
        SELECT 'grain storage holds product state ' || grainidextensionstring FROM orleansstorage WHERE graintypestring = 'product'
        LIMIT 20
        """;

    /// <summary>Waits until at least <paramref name="atLeast"/> products are stored and returns the count then;
    /// fails if <paramref name="writer"/> exits first or nothing reaches the count within <paramref name="timeout"/>.</summary>
    public static async Task<int> WaitForAsync(string database, int atLeast, HostProcess writer, TimeSpan timeout, CancellationToken ct)
    {
        await using var db = new NpgsqlConnection(database);
        await db.OpenAsync(ct);
        await using var count = new NpgsqlCommand(Count, db);
        return await Eventually.Get(async () =>
        {
            var stored = Convert.ToInt32(await count.ExecuteScalarAsync(ct));
            if (stored < atLeast && writer.HasExited)
            {
                throw new InvalidOperationException($"{writer.Name} exited ({writer.ExitCode}) with {stored} products stored, before {atLeast}");
            }
            return stored;
        }, stored => stored >= atLeast, timeout, $"{atLeast} products stored", describe: stored => $"{stored} stored");
    }

    /// <summary>Products whose row and queue item disagree (at most 20, described).</summary>
    public static async Task<IReadOnlyList<string>> DisagreementsAsync(string database, CancellationToken ct)
    {
        await using var db = new NpgsqlConnection(database);
        await db.OpenAsync(ct);
        await using var query = new NpgsqlCommand(Disagreements, db);
        await using var reader = await query.ExecuteReaderAsync(ct);
        var found = new List<string>();
        while (await reader.ReadAsync(ct))
        {
            found.Add(reader.GetString(0));
        }
        return found;
    }
}
