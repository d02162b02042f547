using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Enrichment.Client.Ingest;
using Enrichment.TestSupport;

namespace Enrichment.Client.Tests;

/// <summary>Issue 13, item 1: any version can be scored on the evaluation set, and the score shows with the version.</summary>
[Collection(ClientApiCollection.Name)]
[Trait("Category", "Cluster")]
public sealed class EvaluationApiTests(ClientApiFixture fixture)
{
    [Fact]
    public async Task The_served_version_is_scored_on_the_sample_evaluation_set_and_shows_the_score()
    {
        await fixture.Ingestor.IngestAsync(CatalogCsvReader.ReadAsync(RepoPaths.SampleCatalog, RepoPaths.SampleImages, version: 1_000));
        var served = (await fixture.Http.GetFromJsonAsync<JsonElement>("/api/models")).GetProperty("current").GetString()!;

        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/admin/models/{Uri.EscapeDataString(served)}/evaluate");
        request.Headers.Add("X-Admin-Token", ClientApiFixture.AdminToken);
        var response = await fixture.Http.SendAsync(request);
        Assert.True(response.StatusCode is HttpStatusCode.Accepted or HttpStatusCode.Conflict, $"{response.StatusCode}");

        var evaluation = await Eventually.Get(async () =>
        {
            var version = (await fixture.Http.GetFromJsonAsync<JsonElement>("/api/models")).GetProperty("versions").EnumerateArray()
                .Single(v => v.GetProperty("versionId").GetString() == served);
            return version.TryGetProperty("evaluation", out var scored) ? scored : default;
        }, e => e.ValueKind == JsonValueKind.Object, TimeSpan.FromMinutes(2), "the served version to be scored", TimeSpan.FromMilliseconds(250));
        // About a fifth of the 400 sample products, by the seeded rule, and none of them trained on.
        Assert.InRange(evaluation.GetProperty("rows").GetInt32(), 40, 120);
        Assert.InRange(evaluation.GetProperty("score").GetDouble(), 0, 1);
    }
}
