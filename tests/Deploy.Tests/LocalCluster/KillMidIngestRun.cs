using Enrichment.Client.Ingest;

namespace Enrichment.Deploy.Tests.LocalCluster;

/// <summary>
/// The scenario, once for the test class, on <see cref="LocalClusterHosts"/>: the ingest CLI reads the 400-product
/// sample from its stdin, fed by the test in two parts; once <see cref="KillAfter"/> products of the first part are
/// stored the product silo is SIGKILLed, and only then does the rest of the catalogue follow. Once the cluster has
/// declared the silo dead, every product that run acknowledged is read back over HTTP (before a re-run could write it
/// again and hide its loss); the idempotent ingest is re-run until no event is reported failed, while a reader searches
/// twice a second; then every product is read back and every clothing type's search total compared with the catalogue.
/// </summary>
/// <remarks>
/// Feeding the catalogue is what makes the kill land mid-ingest on any machine: the ingest cannot finish before the
/// test writes the second part, however fast it is, and the kill waits for stored products, however slow it is.
/// </remarks>
public sealed class KillMidIngestRun : IAsyncLifetime
{
    public const int KillAfter = 60;
    /// <summary>Rows the ingest gets before the kill: well above <see cref="KillAfter"/>, well below the catalogue.</summary>
    public const int RowsBeforeKill = 200;
    private const int MaxIngestRuns = 8;
    // The whole scenario's hang guard: each step waits on readiness (a line, a stored count, a membership row) and fails
    // at once when a process exits, so this only has to outlast a slow run on a busy machine, never to time one.
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(12);
    private static readonly TimeSpan StoreTimeout = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan DeathTimeout = TimeSpan.FromMinutes(2);
    /// <summary>How long a search may go unanswered after the kill (the cluster declaring the silo dead included).</summary>
    private static readonly TimeSpan QueryPatience = TimeSpan.FromMinutes(1);

    private static readonly string CataloguePath = Repo.PathOf("data/sample/styles.csv");
    private static readonly string ImagesPath = Repo.PathOf("data/sample/images");
    // Every run names the same snapshot version (what a developer's plain re-run gets from the file's modification
    // time): a resent event is then a duplicate, never a newer version, whether it came from stdin or the file.
    private static readonly string CatalogueVersion = CatalogCsvReader.DefaultVersion(CataloguePath).ToString();

    private LocalClusterHosts? _hosts;

    public IReadOnlyList<string> ExpectedIds { get; private set; } = [];
    public int StoredWhenKilled { get; private set; } = -1;
    public bool IngestRunningAtKill { get; private set; }
    public List<(int Run, int ExitCode, string Summary)> IngestRuns { get; } = new();
    /// <summary>Products whose events the first run reported failed (never acknowledged); a re-run owes them.</summary>
    public IReadOnlySet<string> FailedInFirstRun { get; private set; } = new HashSet<string>();
    /// <summary>Products the first run acknowledged that were not served after the kill, before any re-run.</summary>
    public IReadOnlyList<string> AcknowledgedButLost { get; private set; } = [];
    public IReadOnlyList<string> Lost { get; private set; } = [];
    public IReadOnlyList<string> SearchMismatches { get; private set; } = [];
    /// <summary>Products whose row and queue item disagreed right after the kill, and at the end.</summary>
    public IReadOnlyList<string> DisagreementsAfterKill { get; private set; } = [];
    public IReadOnlyList<string> DisagreementsAtEnd { get; private set; } = [];
    public (int Answered, int Failed) QueriesBeforeKill { get; private set; }
    public (int Answered, int Failed) QueriesWhileSiloDead { get; private set; }
    /// <summary>The cluster's silos as the model status lists them (JSON), before the kill.</summary>
    public string SilosBeforeKill { get; private set; } = "";
    public int ProductSiloPort => _hosts?.ProductSiloPort ?? 0;
    public bool ModelSiloAlive { get; private set; }
    public bool ApiAlive { get; private set; }
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
        var catalog = CatalogueRows.Read(CataloguePath);
        ExpectedIds = catalog.Select(r => r.Id).ToList();
        _hosts = await LocalClusterHosts.StartAsync(Logs);

        SilosBeforeKill = await _hosts.Api.GetStringAsync("/api/cluster/silos", ct);
        await using var queries = SearchProbe.Start(_hosts.Api, catalog[0].Type);
        var startedAt = DateTime.UtcNow;
        var (killedAt, firstRun) = await IngestWithKillAsync(ct);
        await SiloMembership.WaitUntilDeadAsync(_hosts.Database, _hosts.ClusterId, _hosts.ProductSiloPort, DeathTimeout, ct);
        FailedInFirstRun = IngestReport.FailedProducts(firstRun.LogFile, catalog);
        AcknowledgedButLost = await CatalogueChecks.UnservedAsync(_hosts.Api, ExpectedIds.Where(id => !FailedInFirstRun.Contains(id)), ct);
        await ReingestUntilNothingFailsAsync(ct);
        Lost = await CatalogueChecks.UnservedAsync(_hosts.Api, ExpectedIds, ct);
        SearchMismatches = await CatalogueChecks.SearchMismatchesAsync(_hosts.Api, catalog, ct);
        DisagreementsAtEnd = await StoredProducts.DisagreementsAsync(_hosts.Database, ct);

        await queries.WaitForAnswerSinceAsync(killedAt, QueryPatience, ct);
        var (answered, failed) = queries.Since(startedAt);
        QueriesWhileSiloDead = queries.Since(killedAt);
        QueriesBeforeKill = (answered - QueriesWhileSiloDead.Answered, failed - QueriesWhileSiloDead.Failed);
        ModelSiloAlive = !_hosts.ModelSilo.HasExited;
        ApiAlive = !_hosts.ApiHost.HasExited;
    }

    /// <summary>The first run, reading the catalogue from stdin; returns when the product silo was killed, and the run.</summary>
    private async Task<(DateTime KilledAt, HostProcess Run)> IngestWithKillAsync(CancellationToken ct)
    {
        var lines = File.ReadAllLines(CataloguePath);
        var ingest = _hosts!.RunClient("ingest-1", IngestArgs("/dev/stdin"), feedInput: true);
        foreach (var line in lines.Take(1 + RowsBeforeKill))
        {
            await ingest.Input!.WriteLineAsync(line.AsMemory(), ct);
        }
        await ingest.Input!.FlushAsync(ct);

        StoredWhenKilled = await StoredProducts.WaitForAsync(_hosts.Database, KillAfter, ingest, StoreTimeout, ct);
        IngestRunningAtKill = !ingest.HasExited;
        _hosts.ProductSilo.Kill();
        var killedAt = DateTime.UtcNow;
        await _hosts.ProductSilo.WaitForExitAsync(ct);
        DisagreementsAfterKill = await StoredProducts.DisagreementsAsync(_hosts.Database, ct);

        foreach (var line in lines.Skip(1 + RowsBeforeKill))
        {
            await ingest.Input.WriteLineAsync(line.AsMemory(), ct);
        }
        ingest.Input.Close(); // end of the catalogue
        IngestRuns.Add((1, await ingest.WaitForExitAsync(ct), ingest.LastLineStartingWith("Done:")));
        return (killedAt, ingest);
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
            var ingest = _hosts!.RunClient($"ingest-{run}", IngestArgs(CataloguePath));
            IngestRuns.Add((run, await ingest.WaitForExitAsync(ct), ingest.LastLineStartingWith("Done:")));
        }
    }

    private static string[] IngestArgs(string catalogue) =>
        ["ingest", "--catalog", catalogue, "--images", ImagesPath, "--version", CatalogueVersion];

    public async Task DisposeAsync()
    {
        if (_hosts is not null)
        {
            await _hosts.DisposeAsync();
        }
    }
}
