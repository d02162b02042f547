using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Enrichment.Abstractions;
using Enrichment.TestSupport;

namespace Enrichment.Client.Tests;

/// <summary>Issue 20: events with several photos (base64 or already stored), in order, over HTTP; and what is refused.</summary>
[Collection(ClientApiCollection.Name)]
[Trait("Category", "Cluster")]
public sealed class MultiPhotoIngestTests(ClientApiFixture fixture)
{
    private static readonly byte[][] Photos = Directory.GetFiles(RepoPaths.SampleImages, "*.jpg").Order(StringComparer.Ordinal)
        .Take(10).Select(File.ReadAllBytes).ToArray();

    private static string Sha(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    private static string Event(string id, string images) =>
        $$"""{"eventId":"{{id}}-e","productId":"{{id}}","version":1,"name":"Gallery shirt","images":[{{images}}]}""";

    private static string Base64(byte[] bytes) => $"\"{Convert.ToBase64String(bytes)}\"";

    private async Task<JsonElement> PostAsync(string json)
    {
        var response = await fixture.Http.PostAsync("/api/events", new StringContent(json, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>(Json.Options)).GetProperty("results")[0];
    }

    [Fact]
    public async Task Photos_sent_and_photos_already_stored_are_kept_in_order_primary_first()
    {
        var sent = "gallery-" + Guid.NewGuid().ToString("N")[..8];
        var first = await PostAsync(Event(sent, $"{Base64(Photos[0])},{Base64(Photos[1])},{Base64(Photos[2])}"));
        Assert.Equal("Applied", first.GetProperty("status").GetString());

        var product = await fixture.Http.GetFromJsonAsync<ProductView>($"/api/products/{sent}", Json.Options);
        Assert.Equal([Sha(Photos[0]), Sha(Photos[1]), Sha(Photos[2])], product!.Images.Select(i => i.Sha256));
        Assert.Equal(Sha(Photos[0]), product.Image!.Sha256);
        Assert.Equal(Photos[2], await fixture.Http.GetByteArrayAsync($"/api/images/{Sha(Photos[2])}"));

        // A second product names a photo the store already holds by its hash, and sends a new one.
        var referenced = sent + "-ref";
        var second = await PostAsync(Event(referenced, $$"""{"sha256":"{{Sha(Photos[1])}}"},{{Base64(Photos[3])}}"""));
        Assert.Equal("Applied", second.GetProperty("status").GetString());
        var withReference = await fixture.Http.GetFromJsonAsync<ProductView>($"/api/products/{referenced}", Json.Options);
        Assert.Equal([Sha(Photos[1]), Sha(Photos[3])], withReference!.Images.Select(i => i.Sha256));
        Assert.Equal(Photos[1].Length, withReference.Images[0].Length);
    }

    public static TheoryData<string, string> Refused => new()
    {
        { string.Join(",", Photos.Take(9).Select(Base64)), "at most 8 photos per product (got 9)" },
        { $"{Base64(Photos[0])},\"***\"", "images[1] is not valid base64" },
        { $"{Base64(Photos[0])},{Base64(Photos[0])}", "the same photo is given twice" },
        { $$"""{{Base64(Photos[0])}},{"sha256":"{{new string('a', 64)}}"}""", $"images[1]: no photo with sha256 {new string('a', 64)} is stored" },
        { $$"""{{Base64(Photos[0])}},{"sha256":"NOT-HEX"}""", "images[1].sha256 must be 64 lowercase hex characters" },
        { $$"""{{Base64(Photos[0])}},{"path":"a.jpg"}""", "images[1]: paths are only accepted in files" },
        { $$"""{{Base64(Photos[0])}},7""", "images[1] must be a base64 string or an object" },
        { $"{Base64(Photos[0])},{Base64("not a photo"u8.ToArray())}", "images[1] is not a JPEG, PNG or WebP file" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task A_bad_photo_refuses_the_event_naming_which(string images, string reason)
    {
        var id = "bad-gallery-" + Guid.NewGuid().ToString("N")[..8];

        var result = await PostAsync(Event(id, images));

        Assert.Equal("Rejected", result.GetProperty("status").GetString());
        Assert.Contains(reason, result.GetProperty("reason").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await fixture.Http.GetAsync($"/api/products/{id}")).StatusCode);
    }

    [Fact]
    public async Task Images_and_imageBase64_together_are_refused()
    {
        var id = "both-" + Guid.NewGuid().ToString("N")[..8];
        var json = Event(id, Base64(Photos[0]))[..^1] + $",\"imageBase64\":{Base64(Photos[1])}}}";

        var result = await PostAsync(json);

        Assert.Contains("send either images or imageBase64/imagePath, not both", result.GetProperty("reason").GetString());
    }
}
