using System.Buffers.Binary;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Enrichment.Abstractions;
using Enrichment.TestSupport;

namespace Enrichment.Client.Tests;

/// <summary>
/// Issue 22, item 2: 60 events of 6 KB each, every one a 1-bit Adam7-interlaced 7000x7000 PNG (49 megapixels to decode
/// for an 80x60 input), were accepted in 0.3 s and held the next normal product's enrichment up for 86.5 s. A photo's
/// decode cost is bounded at the door, from its header: pixels, and pixels per encoded byte.
/// </summary>
[Collection(ClientApiCollection.Name)]
[Trait("Category", "Cluster")]
public sealed class ImageCostTests(ClientApiFixture fixture)
{
    /// <summary>The bound this test states: a normal product sent right after the flood is enriched within 60 s.</summary>
    private static readonly TimeSpan EnrichmentBound = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_flood_of_small_expensive_photos_is_refused_at_the_door_and_does_not_delay_another_senders_product()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var flood = Enumerable.Range(0, 60).Select(i => new
        {
            eventId = $"bomb-{i}", productId = $"bomb-{run}-{i}", version = 1, name = "Expensive",
            imageBase64 = Convert.ToBase64String(InterlacedPng(7000, 7000, unique: $"{run}-{i}")),
        }).ToArray();
        Assert.All(flood, e => Assert.InRange(Convert.FromBase64String(e.imageBase64).Length, 1, 16 * 1024));

        var response = await fixture.Http.PostAsJsonAsync("/api/events", flood);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var results = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(60, results.Count);
        Assert.All(results, r =>
        {
            Assert.Equal("Rejected", r.GetProperty("status").GetString());
            Assert.Contains("7000x7000", r.GetProperty("reason").GetString());
        });

        // Another sender's ordinary product right after: enriched within the stated bound.
        var id = $"after-bombs-{run}";
        var photo = await File.ReadAllBytesAsync(Directory.GetFiles(RepoPaths.SampleImages, "*.jpg")[1]);
        var posted = await fixture.Http.PostAsJsonAsync("/api/events", new[]
        {
            // Catalogue values of its own, so no prediction of it counts in other tests' searches of the sample.
            new { eventId = "n", productId = id, version = 1, name = "Normal", imageBase64 = Convert.ToBase64String(photo),
                  attributes = new Dictionary<string, string> { ["colour"] = $"Probe {run}", ["type"] = $"Probe {run}" } },
        });
        Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        var view = await Eventually.Get(() => fixture.Http.GetFromJsonAsync<ProductView>($"/api/products/{id}", Json.Options),
            v => v!.EnrichmentStatus == EnrichmentStatus.Enriched, EnrichmentBound, $"{id} to be enriched", TimeSpan.FromMilliseconds(250),
            v => $"{v!.EnrichmentStatus}");
        Assert.Equal(EnrichmentStatus.Enriched, view!.EnrichmentStatus);
    }

    /// <summary>A grey-scale 1-bit Adam7-interlaced PNG of width x height, all zeros, made unique by a text chunk.</summary>
    private static byte[] InterlacedPng(int width, int height, string unique)
    {
        using var png = new MemoryStream();
        png.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = 1; // bit depth
        ihdr[12] = 1; // Adam7
        Chunk(png, "IHDR", ihdr);
        Chunk(png, "tEXt", Encoding.ASCII.GetBytes($"Comment\0{unique}"));
        // Adam7's seven passes of filter byte + packed rows: zeros compress to almost nothing.
        var raw = 0L;
        foreach (var (x0, y0, dx, dy) in new[] { (0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2) })
        {
            long w = (width - x0 + dx - 1) / dx, h = (height - y0 + dy - 1) / dy;
            raw += w == 0 ? 0 : h * (1 + (w + 7) / 8);
        }
        using var compressed = new MemoryStream();
        using (var z = new ZLibStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            var zeros = new byte[64 * 1024];
            for (var left = raw; left > 0; left -= zeros.Length)
            {
                z.Write(zeros, 0, (int)Math.Min(zeros.Length, left));
            }
        }
        Chunk(png, "IDAT", compressed.ToArray());
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    private static void Chunk(Stream png, string type, byte[] data)
    {
        Span<byte> four = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(four, data.Length);
        png.Write(four);
        var typeBytes = Encoding.ASCII.GetBytes(type);
        png.Write(typeBytes);
        png.Write(data);
        BinaryPrimitives.WriteUInt32BigEndian(four, Crc32([.. typeBytes, .. data]));
        png.Write(four);
    }

    /// <summary>PNG's CRC-32 (ISO 3309, reflected 0xEDB88320).</summary>
    private static uint Crc32(byte[] bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
            }
        }
        return ~crc;
    }
}
