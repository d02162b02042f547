using Npgsql;

namespace Enrichment.Deploy.Tests.LocalCluster;

/// <summary>How many products the cluster has written to PostgreSQL grain storage: the ingest's progress, from outside it.</summary>
public static class StoredProducts
{
    // One row per product grain that has written its state; "product" is ProductGrain's grain type.
    private const string Count = "SELECT count(*) FROM orleansstorage WHERE graintypestring = 'product'";

    /// <summary>Waits until at least <paramref name="atLeast"/> products are stored and returns the count then;
    /// fails if <paramref name="writer"/> exits first or nothing reaches the count within <paramref name="timeout"/>.</summary>
    public static async Task<int> WaitForAsync(string database, int atLeast, HostProcess writer, TimeSpan timeout, CancellationToken ct)
    {
        await using var db = new NpgsqlConnection(database);
        await db.OpenAsync(ct);
        await using var count = new NpgsqlCommand(Count, db);
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var stored = Convert.ToInt32(await count.ExecuteScalarAsync(ct));
            if (stored >= atLeast)
            {
                return stored;
            }
            if (writer.HasExited)
            {
                throw new InvalidOperationException($"{writer.Name} exited ({writer.ExitCode}) with {stored} products stored, before {atLeast}");
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{stored} products stored after {timeout}, waiting for {atLeast}");
            }
            await Task.Delay(100, ct);
        }
    }
}
