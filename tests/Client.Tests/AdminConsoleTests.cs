using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Enrichment.Abstractions;
using Enrichment.Client.Ingest;
using Enrichment.TestSupport;

namespace Enrichment.Client.Tests;

/// <summary>The admin console in real headless Chromium (Debian's), driven by Playwright, against the real cluster.</summary>
[Collection(ClientApiCollection.Name)]
[Trait("Category", "Browser")]
public sealed class AdminConsoleTests(ClientApiFixture fixture, Xunit.Abstractions.ITestOutputHelper log)
{
    private static string BrowserDir => Path.Combine(RepoPaths.Root, "tests", "Client.Tests", "Browser");

    [Fact]
    public async Task Console_shows_the_cluster_searches_retrains_with_live_progress_and_rolls_back_in_chromium()
    {
        await fixture.Ingestor.IngestAsync(CatalogCsvReader.ReadAsync(RepoPaths.SampleCatalog, RepoPaths.SampleImages, version: 1_000));
        await fixture.Ingestor.IngestOneAsync(NdjsonEventReader.Parse("{\"productId\":\"bad id\"}", "console-test:1", imageRoot: null));
        await WaitForEnrichmentAsync();
        // As the demo does after its ingest: the bundled version scored on the evaluation set, its quality report and
        // auto-apply thresholds recorded before the page reads them.
        await ScoreServedVersionAsync();
        var rejected = await RegisterRejectedCandidateAsync();

        var screenshots = Path.Combine(AppContext.BaseDirectory, "screenshots");
        var (exitCode, output) = await Command.RunAsync("node",
            ["console.spec.mjs", fixture.Http.BaseAddress!.ToString(), ClientApiFixture.AdminToken, screenshots, rejected], TimeSpan.FromMinutes(8), BrowserDir);

        log.WriteLine(output);
        Assert.True(exitCode == 0, output);
        Assert.Contains("\"ok\":true", output);
        foreach (var shot in new[] { "search.png", "refused.png", "review.png", "provenance.png", "review-queue.png", "training.png", "quality.png", "rollback.png",
                     "console-1280.png", "console-400.png", "quality-400.png" })
        {
            Assert.True(new FileInfo(Path.Combine(screenshots, shot)).Length > 10_000, $"{shot} missing or empty");
        }
    }

    /// <summary>A version a training job registered and rejected, as the console's deploy-with-confirmation case.</summary>
    private async Task<string> RegisterRejectedCandidateAsync()
    {
        var grains = fixture.Cluster.Client;
        var dir = Path.Combine(Path.GetTempPath(), "enrichment-console-rejected-" + Guid.NewGuid().ToString("N")[..8]);
        var version = await new Enrichment.Grains.Serving.ModelWeightsStore(grains).UploadAsync(TinyModel.SaveCheckpoint(dir, seed: 5), "test");
        Directory.Delete(dir, recursive: true);
        var registry = grains.GetGrain<IModelRegistryGrain>(0);
        await registry.Register(version);
        await registry.RecordVerdict(version.VersionId, new VersionVerdict(TrainingState.Rejected, "candidate scored 10.00 % < served 20.00 %",
            0.1, 0.2, (await registry.GetCurrent())?.VersionId, DateTimeOffset.UtcNow));
        return version.VersionId;
    }

    /// <summary>
    /// Scores the served version on the evaluation set and waits until its quality report can be read (another test of
    /// the collection may already have scored it, or be scoring it: then this waits for that one).
    /// </summary>
    private async Task ScoreServedVersionAsync()
    {
        var served = (await fixture.Http.GetFromJsonAsync<JsonElement>("/api/models")).GetProperty("current").GetString()!;
        var quality = $"/api/models/{Uri.EscapeDataString(served)}/quality";
        var asked = false;
        await Eventually.True(async () =>
        {
            if ((await fixture.Http.GetAsync(quality)).StatusCode == HttpStatusCode.OK)
            {
                return true;
            }
            if (!asked)
            {
                var request = new HttpRequestMessage(HttpMethod.Post, $"/api/admin/models/{Uri.EscapeDataString(served)}/evaluate");
                request.Headers.Add("X-Admin-Token", ClientApiFixture.AdminToken);
                var response = await fixture.Http.SendAsync(request);
                // Accepted: scoring; Conflict: a scoring already under way (ask again once it is done, if it was another version's).
                Assert.True(response.StatusCode is HttpStatusCode.Accepted or HttpStatusCode.Conflict, $"evaluate: {response.StatusCode}");
                asked = response.StatusCode == HttpStatusCode.Accepted;
            }
            return false;
        }, TimeSpan.FromMinutes(3), $"a quality report for {served}", TimeSpan.FromMilliseconds(250));
    }

    private async Task WaitForEnrichmentAsync()
    {
        var ids = CatalogIngestTests.ReadSampleRows().Where(r => r is { Colour: "Black", Type: "Watches" }).Select(r => r.Id).ToList();
        await Eventually.Get(() => Task.WhenAll(ids.Select(id => fixture.Cluster.Client.GetGrain<IProductGrain>(id).Get())),
            views => views.All(v => v?.EnrichmentStatus == EnrichmentStatus.Enriched), TimeSpan.FromMinutes(2),
            "the sample's black watches to be enriched", TimeSpan.FromMilliseconds(250),
            views => $"{views.Count(v => v?.EnrichmentStatus != EnrichmentStatus.Enriched)} of {views.Length} not enriched");
    }
}

/// <summary>The console's admin actions over plain HTTP, without a browser (a class of its own: its category is Cluster).</summary>
[Collection(ClientApiCollection.Name)]
[Trait("Category", "Cluster")]
public sealed class AdminActionsOverHttpTests(ClientApiFixture fixture)
{
    [Fact]
    public async Task Admin_actions_need_the_token_over_http()
    {
        var none = await fixture.Http.PostAsync("/api/admin/training", new StringContent("{}", Encoding.UTF8, "application/json"));
        var wrong = new HttpRequestMessage(HttpMethod.Post, "/api/admin/models/x/deploy");
        wrong.Headers.Add("X-Admin-Token", "guess");
        var wrongResponse = await fixture.Http.SendAsync(wrong);
        var open = await fixture.Http.GetAsync("/api/models");

        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongResponse.StatusCode);
        Assert.Equal(HttpStatusCode.OK, open.StatusCode);
    }
}
