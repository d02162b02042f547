using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;

namespace Enrichment.Deploy.Tests.LocalCluster;

/// <summary>
/// The scenario, once for the test class: ingest the 400-product sample into <see cref="LocalClusterHosts"/>, SIGKILL
/// the product silo once <see cref="KillAfter"/> products are stored, re-run the idempotent ingest until no event is
/// reported failed, while a reader searches twice a second; then read every product back over HTTP and compare every
/// clothing type's search total with the catalogue.
/// </summary>
public sealed class KillMidIngestRun : IAsyncLifetime
{
    public const int KillAfter = 60;
    private const int MaxIngestRuns = 8;
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(6);

    private LocalClusterHosts? _hosts;

    public IReadOnlyList<string> ExpectedIds { get; private set; } = [];
    public int StoredWhenKilled { get; private set; } = -1;
    public List<(int Run, int ExitCode, string Summary)> IngestRuns { get; } = new();
    public List<string> Lost { get; } = new();
    public List<string> SearchMismatches { get; } = new();
    public int QueriesAnswered { get; private set; }
    public int QueriesFailed { get; private set; }
    public bool ModelSiloAlive { get; private set; }
    public Exception? Failure { get; private set; }
    public string Logs { get; } = Repo.PathOf("artifacts/local-cluster-test");

    public async Task InitializeAsync()
    {
        using var timeout = new CancellationTokenSource(RunTimeout);
        try
        {
            await RunAsync(timeout.Token);
        }
        catch (Exception ex)
        {
            // Kept for the tests to report, with the logs' folder: a fixture exception would hide which step failed.
            Failure = ex;
        }
    }

    private async Task RunAsync(CancellationToken ct)
    {
        var catalog = CatalogueRows.Read(Repo.PathOf("data/sample/styles.csv"));
        ExpectedIds = catalog.Select(r => r.Id).ToList();
        _hosts = await LocalClusterHosts.StartAsync(Logs);

        using var stopQueries = new CancellationTokenSource();
        var queries = SearchTwiceASecondAsync(catalog[0].Type, stopQueries.Token);

        await IngestWithKillAsync(ct);
        await ReingestUntilNothingFailsAsync(ct);
        await CheckEveryProductAsync(ct);
        await CheckEverySearchAsync(catalog, ct);

        stopQueries.Cancel();
        (QueriesAnswered, QueriesFailed) = await queries;
        ModelSiloAlive = !_hosts.ModelSilo.HasExited;
    }

    private async Task IngestWithKillAsync(CancellationToken ct)
    {
        var ingest = _hosts!.RunClient("ingest-1", IngestArgs);
        await using (var db = new NpgsqlConnection(_hosts.Database))
        {
            await db.OpenAsync(ct);
            while (!ingest.HasExited)
            {
                var stored = await ProductsStoredAsync(db, ct);
                if (stored >= KillAfter)
                {
                    _hosts.ProductSilo.Kill();
                    StoredWhenKilled = stored;
                    break;
                }
                await Task.Delay(100, ct);
            }
        }
        // A sample that ingests faster than we look still loses its silo, afterwards.
        _hosts.ProductSilo.Kill();
        IngestRuns.Add((1, await ingest.WaitForExitAsync(ct), ingest.LastLineStartingWith("Done:")));
    }

    /// <summary>Events reported failed were never accepted; the ingest is idempotent, so re-running it retries exactly those.</summary>
    private async Task ReingestUntilNothingFailsAsync(CancellationToken ct)
    {
        for (var run = 2; IngestRuns[^1].ExitCode != 0; run++)
        {
            if (!IngestRuns[^1].Summary.StartsWith("Done:", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"ingest run {run - 1} crashed (exit {IngestRuns[^1].ExitCode}, no summary); see {Logs}");
            }
            if (run > MaxIngestRuns)
            {
                throw new InvalidOperationException($"events still failing after {MaxIngestRuns} ingest runs");
            }
            await Task.Delay(TimeSpan.FromSeconds(2), ct);
            var ingest = _hosts!.RunClient($"ingest-{run}", IngestArgs);
            IngestRuns.Add((run, await ingest.WaitForExitAsync(ct), ingest.LastLineStartingWith("Done:")));
        }
    }

    private static string[] IngestArgs => ["ingest", "--catalog", Repo.PathOf("data/sample/styles.csv"), "--images", Repo.PathOf("data/sample/images")];

    private static async Task<int> ProductsStoredAsync(NpgsqlConnection db, CancellationToken ct)
    {
        await using var count = new NpgsqlCommand(
            "SELECT count(*) FROM orleansstorage WHERE graintypestring LIKE '%product%' AND graintypestring NOT LIKE '%search%'", db);
        return Convert.ToInt32(await count.ExecuteScalarAsync(ct));
    }

    /// <summary>Every product answers 200; one that does not gets two more tries (an activation moving off the dead silo).</summary>
    private async Task CheckEveryProductAsync(CancellationToken ct)
    {
        var missing = new System.Collections.Concurrent.ConcurrentBag<string>();
        await Parallel.ForEachAsync(ExpectedIds, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = ct }, async (id, token) =>
        {
            HttpStatusCode? status = null;
            for (var attempt = 0; attempt < 3 && status != HttpStatusCode.OK; attempt++)
            {
                if (attempt > 0)
                {
                    await Task.Delay(500, token);
                }
                try
                {
                    using var response = await _hosts!.Api.GetAsync($"/api/products/{Uri.EscapeDataString(id)}", token);
                    status = response.StatusCode;
                }
                catch (HttpRequestException)
                {
                    status = null;
                }
            }
            if (status != HttpStatusCode.OK)
            {
                missing.Add($"{id}:{(int?)status}");
            }
        });
        Lost.AddRange(missing.Order());
    }

    /// <summary>The read model is as durable as the products: each type's search total equals its catalogue count.</summary>
    private async Task CheckEverySearchAsync(IReadOnlyList<CatalogueRows.Row> catalog, CancellationToken ct)
    {
        foreach (var group in catalog.GroupBy(r => r.Type))
        {
            var page = await _hosts!.Api.GetFromJsonAsync<JsonElement>($"/api/products?type={Uri.EscapeDataString(group.Key)}&limit=1", ct);
            var total = page.GetProperty("total").GetInt32();
            if (total != group.Count())
            {
                SearchMismatches.Add($"type={group.Key}: {total} of {group.Count()}");
            }
        }
    }

    private async Task<(int Answered, int Failed)> SearchTwiceASecondAsync(string type, CancellationToken stop)
    {
        var (answered, failed) = (0, 0);
        while (!stop.IsCancellationRequested)
        {
            try
            {
                using var response = await _hosts!.Api.GetAsync($"/api/products?type={Uri.EscapeDataString(type)}&limit=5", stop);
                if (response.IsSuccessStatusCode) answered++; else failed++;
            }
            catch (Exception ex) when (ex is HttpRequestException || (ex is OperationCanceledException && !stop.IsCancellationRequested))
            {
                failed++;
            }
            catch (OperationCanceledException)
            {
                break;
            }
            try
            {
                await Task.Delay(500, stop);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
        return (answered, failed);
    }

    public async Task DisposeAsync()
    {
        if (_hosts is not null)
        {
            await _hosts.DisposeAsync();
        }
    }
}
