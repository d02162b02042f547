using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Enrichment.Deploy.Tests.LocalCluster;

/// <summary>What the cluster's HTTP API serves, compared with the catalogue that was ingested into it.</summary>
public static class CatalogueChecks
{
    private const int Attempts = 3;
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// The products GET /api/products/{id} does not serve, as "id:status". One that does not answer 200 gets two more
    /// tries: its activation may be moving off the dead silo. Eight at a time, as a browser would.
    /// </summary>
    public static async Task<IReadOnlyList<string>> UnservedAsync(HttpClient api, IEnumerable<string> ids, CancellationToken ct)
    {
        var unserved = new ConcurrentBag<string>();
        await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = ct }, async (id, token) =>
        {
            HttpStatusCode? status = null;
            for (var attempt = 0; attempt < Attempts && status != HttpStatusCode.OK; attempt++)
            {
                if (attempt > 0)
                {
                    await Task.Delay(RetryDelay, token);
                }
                try
                {
                    using var response = await api.GetAsync($"/api/products/{Uri.EscapeDataString(id)}", token);
                    status = response.StatusCode;
                }
                catch (HttpRequestException)
                {
                    status = null;
                }
            }
            if (status != HttpStatusCode.OK)
            {
                unserved.Add($"{id}:{(int?)status}");
            }
        });
        return unserved.Order().ToList();
    }

    /// <summary>
    /// The clothing types whose search total differs from the catalogue's count, as "type=T: found of expected": the
    /// read model must be as durable as the products. A product's projection is written before its event is
    /// acknowledged (and redone when the event is resent), so once an ingest run reported nothing failed, one read is
    /// the answer; no waiting for it to settle.
    /// </summary>
    public static async Task<IReadOnlyList<string>> SearchMismatchesAsync(HttpClient api, IEnumerable<CatalogueRows.Row> catalog, CancellationToken ct)
    {
        var mismatches = new List<string>();
        foreach (var type in catalog.GroupBy(r => r.Type).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            string found;
            try
            {
                var page = await api.GetFromJsonAsync<JsonElement>($"/api/products?type={Uri.EscapeDataString(type.Key)}&limit=1", ct);
                var total = page.GetProperty("total").GetInt32();
                found = total == type.Count() ? "" : total.ToString();
            }
            catch (HttpRequestException ex)
            {
                found = $"no answer ({ex.StatusCode?.ToString() ?? ex.Message})";
            }
            if (found.Length > 0)
            {
                mismatches.Add($"type={type.Key}: {found} of {type.Count()}");
            }
        }
        return mismatches;
    }
}
