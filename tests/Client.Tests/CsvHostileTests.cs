using System.Text;
using Enrichment.Client.Ingest;
using Enrichment.TestSupport;

namespace Enrichment.Client.Tests;

/// <summary>Issue 10, item 5: a catalogue row that is not UTF-8 is refused alone, never stored with replacement characters.</summary>
[Collection(ClientApiCollection.Name)]
[Trait("Category", "Cluster")]
public sealed class CsvHostileTests(ClientApiFixture fixture) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("enrichment-csv-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task A_row_with_invalid_utf8_is_rejected_and_the_other_rows_go_in()
    {
        var images = Directory.CreateDirectory(Path.Combine(_dir, "images")).FullName;
        var run = Guid.NewGuid().ToString("N")[..8];
        var sample = Path.Combine(RepoPaths.SampleImages, CatalogIngestTests.ReadSampleRows()[0].Id + ".jpg");
        File.Copy(sample, Path.Combine(images, $"good-{run}.jpg"));
        File.Copy(sample, Path.Combine(images, $"bad-{run}.jpg"));
        var csv = new List<byte>();
        csv.AddRange(Encoding.UTF8.GetBytes("id,gender,masterCategory,subCategory,articleType,baseColour,season,year,usage,productDisplayName\n"));
        csv.AddRange(Encoding.UTF8.GetBytes($"good-{run},Men,Apparel,Topwear,Shirts,Blue,Fall,2011,Casual,Good Shirt\n"));
        csv.AddRange(Encoding.UTF8.GetBytes($"bad-{run},Men,Apparel,Topwear,Shirts,Blue,Fall,2011,Casual,Caf"));
        csv.AddRange([0xC3, 0x28]);
        csv.AddRange(Encoding.UTF8.GetBytes(" Shirt\n"));
        var path = Path.Combine(_dir, "styles.csv");
        await File.WriteAllBytesAsync(path, csv.ToArray());

        var results = new List<IngestResult>();
        await fixture.Ingestor.IngestAsync(CatalogCsvReader.ReadAsync(path, images, version: 1), r => { lock (results) results.Add(r); });

        Assert.Equal(IngestStatus.Applied, Assert.Single(results, r => r.Source == "styles.csv:2").Status);
        var bad = Assert.Single(results, r => r.Source == "styles.csv:3");
        Assert.Equal(IngestStatus.Rejected, bad.Status);
        Assert.Contains("not valid UTF-8", bad.Reason);
    }
}
