using System.Security.Cryptography;
using System.Text.Json;
using Enrichment.Abstractions;
using Enrichment.Client.Ingest;
using Enrichment.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Enrichment.Client.Tests;

/// <summary>
/// Every size limit of an ingested event at its boundary: the limit itself is accepted and stored, one more is
/// refused with the reason and leaves nothing behind (neither the product nor its image).
/// </summary>
[Collection(ClientApiCollection.Name)]
[Trait("Category", "Cluster")]
public sealed class EventLimitTests(ClientApiFixture fixture)
{
    public enum Limit { ProductId, EventId, Name, AttributeName, AttributeValue, AttributeCount, ImageBytes }

    public static TheoryData<Limit> Limits => new(Enum.GetValues<Limit>());

    [Theory]
    [MemberData(nameof(Limits))]
    public async Task The_limit_itself_is_accepted_and_stored(Limit limit)
    {
        var candidate = Build(limit, overBy: 0);

        var result = await fixture.Ingestor.IngestOneAsync(Parse(candidate));

        Assert.True(result.Status == IngestStatus.Applied, $"{limit}: {result.Status} {result.Reason}");
        var stored = await fixture.Cluster.Client.GetGrain<IProductGrain>(candidate.ProductId).Get();
        Assert.NotNull(stored);
        Assert.Equal(candidate.EventId, stored.LastEventId);
        if (candidate.Image is { } image)
        {
            Assert.Equal(image.Length, (await fixture.Cluster.Client.Photos().Get(stored.Image!.Sha256))!.Bytes.Length);
        }
    }

    [Theory]
    [MemberData(nameof(Limits))]
    public async Task One_over_the_limit_is_rejected_with_the_reason_and_stores_nothing(Limit limit)
    {
        var candidate = Build(limit, overBy: 1);

        var result = await fixture.Ingestor.IngestOneAsync(Parse(candidate));

        Assert.Equal(IngestStatus.Rejected, result.Status);
        Assert.Contains(candidate.ExpectedReason, result.Reason);
        Assert.Null(await fixture.Cluster.Client.GetGrain<IProductGrain>(candidate.ProductId).Get());
        if (candidate.Image is { } image)
        {
            Assert.Null(await fixture.Cluster.Client.Photos().Get(Convert.ToHexStringLower(SHA256.HashData(image))));
        }
    }

    private int MaxImageBytes => fixture.App.Services.GetRequiredService<IOptions<IngestOptions>>().Value.MaxImageBytes;

    private sealed record Candidate(string ProductId, string EventId, string Name, Dictionary<string, string> Attributes, byte[]? Image, string ExpectedReason);

    /// <summary>An otherwise valid event whose one measured field is exactly <paramref name="overBy"/> past its limit.</summary>
    private Candidate Build(Limit limit, int overBy)
    {
        // Unique per run, so a product stored by an earlier run of the same case cannot stand in for this one.
        var run = Guid.NewGuid().ToString("N")[..12];
        var productId = $"limit-{run}";
        var eventId = $"e-{run}";
        var name = "Limit test";
        var attributes = new Dictionary<string, string> { [AttributeNames.Colour] = "Red" };
        byte[]? image = null;
        string reason;
        switch (limit)
        {
            case Limit.ProductId:
                productId = Padded(productId, ProductEventValidator.MaxIdLength + overBy);
                reason = $"productId is longer than {ProductEventValidator.MaxIdLength} characters";
                break;
            case Limit.EventId:
                eventId = Padded(eventId, ProductEventValidator.MaxIdLength + overBy);
                reason = $"eventId is longer than {ProductEventValidator.MaxIdLength} characters";
                break;
            case Limit.Name:
                name = Padded(name, ProductEventValidator.MaxNameLength + overBy);
                reason = $"name is longer than {ProductEventValidator.MaxNameLength} characters";
                break;
            case Limit.AttributeName:
                // The documented pattern [a-z][a-z0-9_]{0,31} allows 32 characters.
                attributes[Padded("note_", 32 + overBy)] = "x";
                reason = "must match [a-z][a-z0-9_]{0,31}";
                break;
            case Limit.AttributeValue:
                attributes[AttributeNames.Colour] = Padded("Red", ProductEventValidator.MaxAttributeValueLength + overBy);
                reason = $"attributes.colour is longer than {ProductEventValidator.MaxAttributeValueLength} characters";
                break;
            case Limit.AttributeCount:
                for (var i = attributes.Count; i < ProductEventValidator.MaxAttributes + overBy; i++)
                {
                    attributes[$"extra_{i}"] = "x";
                }
                reason = $"at most {ProductEventValidator.MaxAttributes} attributes are allowed (got {ProductEventValidator.MaxAttributes + overBy})";
                break;
            case Limit.ImageBytes:
                // A real catalogue photo padded after its end marker: still a JPEG, now exactly the size under test.
                var photo = File.ReadAllBytes(Directory.GetFiles(RepoPaths.SampleImages, "*.jpg").Order(StringComparer.Ordinal).First());
                image = new byte[MaxImageBytes + overBy];
                photo.CopyTo(image, 0);
                // Different padding per run keeps the hash unique, so the image store cannot already hold it.
                RandomNumberGenerator.Fill(image.AsSpan(photo.Length));
                reason = $"image is {MaxImageBytes + overBy} bytes; the limit is {MaxImageBytes}";
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(limit));
        }
        return new Candidate(productId, eventId, name, attributes, image, reason);
    }

    private static string Padded(string prefix, int length) => prefix + new string('x', length - prefix.Length);

    /// <summary>Goes through the same JSON reader as NDJSON files and HTTP posts.</summary>
    private static IncomingEvent Parse(Candidate c)
    {
        var json = JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["eventId"] = c.EventId,
            ["productId"] = c.ProductId,
            ["version"] = 1,
            ["name"] = c.Name,
            ["attributes"] = c.Attributes,
            ["imageBase64"] = c.Image is null ? null : Convert.ToBase64String(c.Image),
        });
        return NdjsonEventReader.Parse(json, "limit-test:1", imageRoot: null);
    }
}
