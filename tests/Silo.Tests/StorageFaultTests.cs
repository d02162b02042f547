using System.Collections.Concurrent;
using Enrichment.Abstractions;
using Enrichment.Client.Ingest;
using Enrichment.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using static Enrichment.TestSupport.PostgresStatements;

namespace Enrichment.Silo.Tests;

/// <summary>Storage that refuses writes and drops connections while a two-silo PostgreSQL cluster ingests.</summary>
[Collection(PostgresCollection.Name)]
[Trait("Category", "Postgres")]
public sealed class StorageFaultTests(PostgresFixture fixture)
{
    private const int Copies = 5;

    [Fact]
    public async Task PostgreSQL_storage_faults_mid_ingest_lose_no_event_that_was_acknowledged()
    {
        var cs = await fixture.NewDatabaseAsync("storage_faults");
        // Every seventh write of a product or a photo fails inside PostgreSQL (a sequence is not rolled back with the
        // failed write, so the faults keep coming whatever is retried).
        await ExecuteAsync(cs, """
            CREATE SEQUENCE injected_fault_counter;
            CREATE FUNCTION injected_storage_fault() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF nextval('injected_fault_counter') % 7 = 0 THEN
                    RAISE EXCEPTION 'injected storage fault';
                END IF;
                RETURN NEW;
            END $$;
            CREATE TRIGGER injected_storage_fault BEFORE INSERT OR UPDATE ON catalog_products
                FOR EACH ROW EXECUTE FUNCTION injected_storage_fault();
            CREATE TRIGGER injected_photo_fault BEFORE INSERT ON catalog_images
                FOR EACH ROW EXECUTE FUNCTION injected_storage_fault();
            """);
        var events = await EventsAsync();
        var results = new ConcurrentBag<IngestResult>();

        await PostgresFixture.WithClusterAsync(cs, async cluster =>
        {
            using var stopTerminating = new CancellationTokenSource();
            var terminator = TerminateConnectionsAsync(cs, stopTerminating.Token);
            var ingestor = Ingestor(cluster.Client, maxAttempts: 3);
            await ingestor.IngestAsync(events.ToAsyncEnumerable(), results.Add);
            await stopTerminating.CancelAsync();
            var terminated = await terminator;

            Assert.Equal(events.Count, results.Count);
            Assert.True(terminated > 0, "no connection was terminated");
            Assert.DoesNotContain(results, r => r.Status is IngestStatus.Rejected or IngestStatus.Stale or IngestStatus.Conflict);

            // Storage heals; the sender re-sends what it was told failed (ingest is idempotent).
            await ExecuteAsync(cs, "DROP TRIGGER injected_storage_fault ON catalog_products; DROP TRIGGER injected_photo_fault ON catalog_images");
            var failed = results.Where(r => r.Status == IngestStatus.Failed).Select(r => r.EventId).ToHashSet();
            var resent = await Ingestor(cluster.Client, maxAttempts: 5)
                .IngestAsync(events.Where(e => failed.Contains(e.Event!.EventId)).ToAsyncEnumerable());
            Assert.Equal(failed.Count, resent[IngestStatus.Applied] + resent[IngestStatus.Duplicate]);
        });

        // After a full restart, everything acknowledged (or re-sent) is in storage, each product exactly once.
        await PostgresFixture.WithClusterAsync(cs, async restarted =>
        {
            var stored = await Task.WhenAll(events.Select(e => restarted.Client.GetGrain<IProductGrain>(e.Event!.ProductId).Get()));
            var missing = events.Where((e, i) => stored[i]?.LastEventId != e.Event!.EventId).Select(e => e.Event!.ProductId).ToList();
            Assert.True(missing.Count == 0,
                $"{missing.Count} acknowledged products missing after restart (e.g. {string.Join(", ", missing.Take(5))}); " +
                $"acknowledged as: {string.Join(", ", results.GroupBy(r => r.Status).Select(g => $"{g.Key} {g.Count()}"))}");
            // One row per product (its key), nothing in grain storage, and a queue item exactly for each product that
            // waits for its current photo.
            Assert.Equal(events.Count, await ScalarAsync(cs, "SELECT count(*) FROM catalog_products"));
            Assert.Equal(0L, await ScalarAsync(cs, "SELECT count(*) FROM orleansstorage WHERE graintypestring = 'product'"));
            Assert.Equal(0L, await ScalarAsync(cs, """
                SELECT count(*) FROM catalog_products p FULL JOIN enrichment_queue q ON q.product_id = p.product_id
                WHERE (p.state->>'enrichmentStatus' = 'Pending' AND p.state->'image'->>'sha256' IS NOT NULL)
                      IS DISTINCT FROM (q.product_id IS NOT NULL AND q.image_sha256 = p.state->'image'->>'sha256')
                """));
        });
    }

    [Fact]
    public async Task PostgreSQL_a_refused_write_reaches_the_caller_as_retryable_and_leaves_no_trace()
    {
        var cs = await fixture.NewDatabaseAsync("refused_write");
        var sample = (await EventsAsync())[0];
        await PostgresFixture.WithClusterAsync(cs, silos: 1, test: async cluster =>
        {
            var ingestor = Ingestor(cluster.Client, maxAttempts: 1);
            var e = sample.Event!;
            var product = cluster.Client.GetGrain<IProductGrain>(e.ProductId);
            Assert.Equal(IngestStatus.Applied, (await ingestor.IngestOneAsync(sample with { Event = e with { Version = 1, EventId = "v1" } })).Status);

            await ExecuteAsync(cs, """
                CREATE FUNCTION refuse_writes() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN RAISE EXCEPTION 'storage refuses writes'; END $$;
                CREATE TRIGGER refuse_writes BEFORE UPDATE ON catalog_products FOR EACH ROW EXECUTE FUNCTION refuse_writes();
                """);
            var v2 = e with { Version = 2, EventId = "v2", Name = "Renamed while storage refused" };
            var refused = await Assert.ThrowsAsync<StorageUnavailableException>(() => product.Apply(v2));
            Assert.Contains("retry", refused.Message);
            var meanwhile = await product.Get();
            Assert.Equal((1L, "v1"), (meanwhile!.Version, meanwhile.LastEventId));

            // Storage heals: the same event is applied (not taken for a duplicate of something never stored).
            await ExecuteAsync(cs, "DROP TRIGGER refuse_writes ON catalog_products");
            Assert.Equal(ApplyOutcome.Applied, (await product.Apply(v2)).Outcome);
        });

        await PostgresFixture.WithClusterAsync(cs, silos: 1, test: async restarted =>
        {
            var stored = await restarted.Client.GetGrain<IProductGrain>(sample.Event!.ProductId).Get();
            Assert.Equal((2L, "Renamed while storage refused"), (stored!.Version, stored.Name));
        });
    }

    /// <summary>The sample catalogue five times over under distinct product ids: 2,000 events.</summary>
    private static async Task<List<IncomingEvent>> EventsAsync()
    {
        var sample = new List<IncomingEvent>();
        await foreach (var e in CatalogCsvReader.ReadAsync(RepoPaths.SampleCatalog, RepoPaths.SampleImages, version: 3))
        {
            sample.Add(e);
        }
        return Enumerable.Range(0, Copies).SelectMany(copy => sample.Select(e => e with
        {
            Event = e.Event! with { ProductId = $"{e.Event.ProductId}-{copy}", EventId = $"{e.Event.EventId}-{copy}" },
        })).ToList();
    }

    /// <summary>Kills every other session of the database once a second until cancelled; returns how many it killed.</summary>
    private static async Task<long> TerminateConnectionsAsync(string cs, CancellationToken stop)
    {
        long terminated = 0;
        while (!stop.IsCancellationRequested)
        {
            terminated += await ScalarAsync(cs, """
                SELECT count(*) FILTER (WHERE pg_terminate_backend(pid))
                FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()
                """);
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(1), stop);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
        return terminated;
    }

    private static CatalogIngestor Ingestor(IGrainFactory grains, int maxAttempts) =>
        new(grains, Options.Create(new IngestOptions { MaxAttempts = maxAttempts }),
            new Enrichment.Client.Hosting.ClientMetrics(new MeterFactory()), NullLogger<CatalogIngestor>.Instance);
}
