using Enrichment.Deploy.Tests.LocalCluster;
using Xunit.Abstractions;

namespace Enrichment.Deploy.Tests;

/// <summary>
/// A real multi-process cluster (throwaway PostgreSQL, two silo processes, the client API; everything on 127.0.0.1)
/// with the product silo SIGKILLed mid-ingest: nothing accepted is lost, search agrees with what is stored, and
/// queries kept answering. Logs of every process are in artifacts/local-cluster-test.
/// </summary>
public sealed class LocalClusterTests(KillMidIngestRun run, ITestOutputHelper log) : IClassFixture<KillMidIngestRun>
{
    private const int SampleProducts = 400;

    private void Report()
    {
        log.WriteLine($"ingest runs: {string.Join("; ", run.IngestRuns.Select(r => $"#{r.Run} exit {r.ExitCode}: {r.Summary}"))}");
        log.WriteLine($"product silo killed with {run.StoredWhenKilled} products stored; queries answered {run.QueriesAnswered}, failed {run.QueriesFailed}; logs in {run.Logs}");
        Assert.True(run.Failure is null, $"the run failed: {run.Failure}");
    }

    [Fact]
    public void No_accepted_product_is_lost_when_a_silo_is_killed_mid_ingest()
    {
        Report();
        Assert.Equal(SampleProducts, run.ExpectedIds.Distinct().Count());
        Assert.True(run.StoredWhenKilled >= KillMidIngestRun.KillAfter, $"the silo was killed only after ingest ended ({run.StoredWhenKilled} stored)");
        Assert.Empty(run.Lost);
        Assert.Matches(@"^Done: applied \d+, duplicate \d+, stale \d+, conflict 0, rejected 0, failed 0", run.IngestRuns[^1].Summary);
        Assert.Equal(0, run.IngestRuns[^1].ExitCode);
        Assert.True(run.ModelSiloAlive, "the surviving silo died");
    }

    [Fact]
    public void Search_finds_every_product_after_the_kill_and_kept_answering_during_it()
    {
        Report();
        Assert.Empty(run.SearchMismatches);
        Assert.True(run.QueriesAnswered > 0, $"no query answered during the run ({run.QueriesFailed} failed)");
    }
}
