using System.Security.Cryptography;
using Enrichment.Abstractions;

namespace Enrichment.Grains.Tests;

public static class TestEvents
{
    /// <summary>Asserts that the product refused the event, and returns its reason.</summary>
    public static async Task<string> RejectedAsync(Task<ApplyResult> apply)
    {
        var result = await apply;
        Assert.Equal(ApplyOutcome.Rejected, result.Outcome);
        Assert.False(string.IsNullOrWhiteSpace(result.Reason));
        return result.Reason!;
    }

    public static ProductEvent Product(string id, long version, string colour = "Red", string type = "Tshirts", string? eventId = null) => new()
    {
        EventId = eventId ?? $"{id}-v{version}",
        ProductId = id,
        Version = version,
        Name = $"Test {colour} {type}",
        Attributes = new() { [AttributeNames.Colour] = colour, [AttributeNames.Type] = type },
        OccurredAt = DateTimeOffset.UtcNow,
    };

    /// <summary>A unique id per test run so tests sharing a cluster never see each other's products.</summary>
    public static string UniqueId(string prefix) => $"{prefix}-{Guid.NewGuid():N}";

    public static ImageRef RefFor(byte[] bytes) => new(Convert.ToHexStringLower(SHA256.HashData(bytes)), bytes.Length, "image/jpeg");
}
