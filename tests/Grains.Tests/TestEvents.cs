using System.Security.Cryptography;
using Enrichment.Abstractions;

namespace Enrichment.Grains.Tests;

public static class TestEvents
{
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
