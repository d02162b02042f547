using Enrichment.Deploy.Tests.LocalCluster;
using Xunit.Abstractions;

namespace Enrichment.Deploy.Tests;

/// <summary>
/// A real multi-process cluster (throwaway PostgreSQL, two silo processes, the client API; everything on 127.0.0.1)
/// with the product silo SIGKILLed mid-ingest: nothing accepted is lost, search agrees with what is stored, and
/// queries kept answering while the silo was dead. Logs of every process are in artifacts/local-cluster-test.
/// </summary>
[Trait("Category", "Processes")]
public sealed class LocalClusterTests(KillMidIngestRun run, ITestOutputHelper log) : IClassFixture<KillMidIngestRun>
{
    private const int SampleProducts = 400;

    private void Report()
    {
        log.WriteLine($"ingest runs: {string.Join("; ", run.IngestRuns.Select(r => $"#{r.Run} exit {r.ExitCode}: {r.Summary}"))}");
        log.WriteLine($"products the first run reported failed (re-ingested): {string.Join(", ", run.FailedInFirstRun.Order())}");
        log.WriteLine($"product silo killed with {run.StoredWhenKilled} products stored (ingest running: {run.IngestRunningAtKill}); " +
                      $"searches before the kill answered {run.QueriesBeforeKill.Answered}, failed {run.QueriesBeforeKill.Failed}; " +
                      $"while the silo was dead answered {run.QueriesWhileSiloDead.Answered}, failed {run.QueriesWhileSiloDead.Failed}; logs in {run.Logs}");
        Assert.True(run.Failure is null, $"the run failed: {run.Failure}");
    }

    [Fact]
    public void No_accepted_product_is_lost_when_a_silo_is_killed_mid_ingest()
    {
        Report();
        Assert.Equal(SampleProducts, run.ExpectedIds.Distinct().Count());
        Assert.True(run.IngestRunningAtKill, "the ingest had ended before the silo was killed");
        Assert.InRange(run.StoredWhenKilled, KillMidIngestRun.KillAfter, KillMidIngestRun.RowsBeforeKill);
        Assert.True(run.AcknowledgedButLost.Count == 0,
            $"{run.AcknowledgedButLost.Count} products the first run acknowledged were not served after the kill: {string.Join(", ", run.AcknowledgedButLost.Take(20))}");
        Assert.True(run.Lost.Count == 0, $"{run.Lost.Count} of {SampleProducts} products not served: {string.Join(", ", run.Lost.Take(20))}");
        Assert.Matches(@"^Done: applied \d+, duplicate \d+, stale \d+, conflict 0, rejected 0, failed 0", run.IngestRuns[^1].Summary);
        Assert.Equal(0, run.IngestRuns[^1].ExitCode);
        Assert.True(run.ModelSiloAlive, "the surviving silo died");
        Assert.True(run.ApiAlive, "the client API died");
    }

    [Fact]
    public void Each_products_row_and_queue_item_agree_right_after_the_kill_and_at_the_end()
    {
        Report();
        Assert.True(run.DisagreementsAfterKill.Count == 0, $"after the kill: {string.Join("; ", run.DisagreementsAfterKill)}");
        Assert.True(run.DisagreementsAtEnd.Count == 0, $"at the end: {string.Join("; ", run.DisagreementsAtEnd)}");
    }

    [Fact]
    public void The_products_only_silo_is_listed_as_hosting_no_models_and_no_model_call_reaches_it()
    {
        Report();
        using var silos = System.Text.Json.JsonDocument.Parse(run.SilosBeforeKill);
        var products = silos.RootElement.EnumerateArray().Single(s => s.GetProperty("silo").GetString()!.Contains($":{run.ProductSiloPort}:"));
        Assert.False(products.GetProperty("hasAccelerator").GetBoolean());
        // Unreachable is what a model status call to a silo without the model service answered before it was left out.
        Assert.True(!products.TryGetProperty("error", out var error) || error.ValueKind == System.Text.Json.JsonValueKind.Null, products.ToString());
        Assert.Contains(silos.RootElement.EnumerateArray(), s => s.GetProperty("hasAccelerator").GetBoolean());
    }

    [Fact]
    public void Search_finds_every_product_after_the_kill_and_kept_answering_while_the_silo_was_dead()
    {
        Report();
        Assert.True(run.SearchMismatches.Count == 0, $"search disagrees with the catalogue: {string.Join("; ", run.SearchMismatches)}");
        Assert.True(run.QueriesWhileSiloDead.Answered > 0,
            $"no search answered after the product silo was killed ({run.QueriesWhileSiloDead.Failed} failed)");
    }
}
