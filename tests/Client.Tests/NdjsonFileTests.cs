using System.Text;
using Enrichment.Client.Ingest;
using Enrichment.TestSupport;

namespace Enrichment.Client.Tests;

/// <summary>Issue 10, item 6: an NDJSON file's lines each succeed or are rejected alone; image paths stay in their folder.</summary>
[Collection(ClientApiCollection.Name)]
[Trait("Category", "Cluster")]
public sealed class NdjsonFileTests(ClientApiFixture fixture) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("enrichment-ndjson-files-").FullName;
    private readonly string _run = Guid.NewGuid().ToString("N")[..8];

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string SampleJpeg() => Path.Combine(RepoPaths.SampleImages, CatalogIngestTests.ReadSampleRows()[0].Id + ".jpg");

    private string Line(string id, string? imagePath = null) =>
        $$"""{"eventId":"{{id}}-{{_run}}","productId":"{{id}}-{{_run}}","version":1,"name":"{{id}}"{{(imagePath is null ? "" : $",\"imagePath\":\"{imagePath}\"")}}}""";

    private async Task<List<IngestResult>> IngestAsync(string feed, byte[] content)
    {
        var path = Path.Combine(feed, "events.ndjson");
        await File.WriteAllBytesAsync(path, content);
        var results = new List<IngestResult>();
        await fixture.Ingestor.IngestAsync(IngestSources.From(null, null, path, null)!, r => { lock (results) results.Add(r); });
        return results.OrderBy(r => int.Parse(r.Source.Split(':')[1])).ToList();
    }

    private static byte[] Lines(params string[] lines) => Encoding.UTF8.GetBytes(string.Join("\n", lines) + "\n");

    [Fact]
    public async Task Symbolic_links_cannot_lead_an_image_path_out_of_its_folder()
    {
        var feed = Directory.CreateDirectory(Path.Combine(_dir, "feed")).FullName;
        File.Copy(SampleJpeg(), Path.Combine(_dir, "outside.jpg"));
        File.Copy(SampleJpeg(), Path.Combine(feed, "inside.jpg"));
        File.CreateSymbolicLink(Path.Combine(feed, "to-outside.jpg"), Path.Combine(_dir, "outside.jpg"));
        File.CreateSymbolicLink(Path.Combine(feed, "relative-out.jpg"), "../outside.jpg");
        File.CreateSymbolicLink(Path.Combine(feed, "passwd.jpg"), "/etc/passwd");
        Directory.CreateSymbolicLink(Path.Combine(feed, "up"), _dir);
        File.CreateSymbolicLink(Path.Combine(feed, "to-inside.jpg"), "inside.jpg");

        var results = await IngestAsync(feed, Lines(
            Line("link-out", "to-outside.jpg"), Line("link-rel", "relative-out.jpg"), Line("link-passwd", "passwd.jpg"),
            Line("link-dir", "up/outside.jpg"), Line("link-in", "to-inside.jpg")));

        Assert.Equal(5, results.Count);
        foreach (var r in results.Take(4))
        {
            Assert.Equal(IngestStatus.Rejected, r.Status);
            Assert.Contains("points outside", r.Reason);
        }
        Assert.Equal(IngestStatus.Applied, results[4].Status);
    }

    [Fact]
    public async Task An_image_over_2_GB_is_refused_by_its_size_and_the_lines_after_it_still_go_in()
    {
        var feed = Directory.CreateDirectory(Path.Combine(_dir, "big")).FullName;
        await using (var big = File.Create(Path.Combine(feed, "big.jpg")))
        {
            big.SetLength(3L * 1024 * 1024 * 1024); // sparse: takes no disk, but no byte array can hold it
        }

        var results = await IngestAsync(feed, Lines(Line("big", "big.jpg"), Line("after")));

        Assert.Equal(2, results.Count);
        Assert.Equal(IngestStatus.Rejected, results[0].Status);
        Assert.Contains("the limit is 100000", results[0].Reason);
        Assert.Equal(IngestStatus.Applied, results[1].Status);
    }

    [Fact]
    public async Task A_line_that_is_not_utf8_is_rejected_alone_rather_than_decoded_with_replacements()
    {
        var feed = Directory.CreateDirectory(Path.Combine(_dir, "utf8")).FullName;
        var bad = Encoding.UTF8.GetBytes(Line("bad")).Select(b => b == (byte)'d' ? (byte)0xFF : b).ToArray();

        var results = await IngestAsync(feed, [.. Lines(Line("before")), .. bad, (byte)'\n', .. Lines(Line("after"))]);

        Assert.Equal([IngestStatus.Applied, IngestStatus.Rejected, IngestStatus.Applied], results.Select(r => r.Status));
        Assert.Contains("not valid UTF-8", results[1].Reason);
    }

    /// <summary>
    /// Issue 22, item 12: a file line is bounded by the largest event the ingest accepts (its largest image
    /// base64-encoded plus the other fields), not by a fixed 64 MiB: a 60 MB line cost the CLI 850 MB to parse before
    /// its image was refused. The fixture's images are at most 100,000 bytes, so a 300 KB line is refused unread.
    /// </summary>
    [Fact]
    public async Task A_line_longer_than_the_largest_acceptable_event_is_refused_unread()
    {
        var feed = Directory.CreateDirectory(Path.Combine(_dir, "long")).FullName;
        var limit = new IngestOptions { MaxImageBytes = 100_000 }.MaxLineBytes;
        var largest = Convert.ToBase64String(new byte[100_000]);
        var huge = Convert.ToBase64String(new byte[225_000]);
        string WithImage(string id, string base64) =>
            $$"""{"eventId":"{{id}}-{{_run}}","productId":"{{id}}-{{_run}}","version":1,"name":"{{new string('n', 512)}}","imageBase64":"{{base64}}"}""";
        Assert.InRange(Encoding.UTF8.GetByteCount(WithImage("largest", largest)), 1, limit);

        var results = await IngestAsync(feed, Lines(WithImage("huge", huge), WithImage("largest", largest), Line("after-long")));

        Assert.Equal(3, results.Count);
        Assert.Equal(IngestStatus.Rejected, results[0].Status);
        Assert.Equal($"line is longer than {limit} bytes", results[0].Reason);
        // The largest image the ingest takes still fits on a line: it is judged as an image (all zeros: not a photo).
        Assert.Equal(IngestStatus.Rejected, results[1].Status);
        Assert.Contains("not a JPEG, PNG or WebP", results[1].Reason);
        Assert.Equal(IngestStatus.Applied, results[2].Status);
    }

    [Fact]
    public async Task An_overlong_line_is_skipped_without_being_held_and_the_next_line_is_read()
    {
        var content = Encoding.UTF8.GetBytes("{\"a\":1}\r\n" + new string('x', 10_000) + "\n\n  \n{\"b\":2}");

        var lines = new List<NdjsonLines.Line>();
        await foreach (var line in NdjsonLines.ReadAsync(new MemoryStream(content), maxLineBytes: 100))
        {
            lines.Add(line);
        }

        Assert.Equal(
            [new NdjsonLines.Line(1, "{\"a\":1}", null), new NdjsonLines.Line(2, null, "line is longer than 100 bytes"), new NdjsonLines.Line(5, "{\"b\":2}", null)],
            lines);
    }
}
