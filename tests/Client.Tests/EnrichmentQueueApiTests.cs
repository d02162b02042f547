using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Enrichment.Abstractions;
using Enrichment.TestSupport;

namespace Enrichment.Client.Tests;

[Collection(ClientApiCollection.Name)]
[Trait("Category", "Cluster")]
public sealed class EnrichmentQueueApiTests(ClientApiFixture fixture)
{
    [Fact]
    public async Task The_queue_is_visible_over_http_and_a_re_enrichment_goes_through_it()
    {
        var id = $"queue-api-{Guid.NewGuid():N}";
        // Catalogue values no other test searches for: this product must never show up in their results.
        var photo = await File.ReadAllBytesAsync(Directory.GetFiles(RepoPaths.SampleImages, "*.jpg").Order().First());
        var posted = await fixture.Http.PostAsJsonAsync("/api/events", new[]
        {
            new { eventId = id + "-v1", productId = id, version = 1, name = "Queue probe", attributes = new { colour = "Teal", type = "QueueProbes" }, imageBase64 = Convert.ToBase64String(photo) },
        });
        Assert.Equal(HttpStatusCode.OK, posted.StatusCode);

        var first = await EnrichedAsync(id, after: null);

        // Re-enrichment answers at once with the product queued, and the queue brings it back enriched.
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/admin/products/{id}/enrich");
        request.Headers.Add("X-Admin-Token", ClientApiFixture.AdminToken);
        var queued = await (await fixture.Http.SendAsync(request)).Content.ReadFromJsonAsync<ProductView>(Json.Options);
        Assert.Equal(EnrichmentStatus.Pending, queued!.EnrichmentStatus);
        await EnrichedAsync(id, after: first.Enrichment!.EnrichedAt);
    }

    private async Task<ProductView> EnrichedAsync(string id, DateTimeOffset? after)
    {
        var (product, _) = await Eventually.Get(async () =>
        {
            using var queue = JsonDocument.Parse(await fixture.Http.GetStringAsync("/api/enrichment/queue"));
            var depth = queue.RootElement.GetProperty("depth").GetInt64();
            Assert.True(queue.RootElement.TryGetProperty("oldestAgeSeconds", out _));
            Assert.True(queue.RootElement.TryGetProperty("parked", out _));
            if (depth == 0)
            {
                var product = await fixture.Http.GetFromJsonAsync<ProductView>($"/api/products/{id}", Json.Options);
                if (product!.EnrichmentStatus == EnrichmentStatus.Enriched && (after is null || product.Enrichment!.EnrichedAt > after))
                {
                    return (product, depth);
                }
            }
            return ((ProductView?)null, depth);
        }, seen => seen.Item1 is not null, TimeSpan.FromMinutes(2), $"product {id} to be enriched through the queue",
            TimeSpan.FromMilliseconds(200), seen => $"queue depth {seen.Item2}");
        return product!;
    }
}
