using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using CsvHelper;
using Enrichment.Abstractions;
using Enrichment.Client.Ingest;
using Orleans.Runtime;

using Enrichment.TestSupport;

namespace Enrichment.Client.Tests;

[Collection(ClientApiCollection.Name)]
[Trait("Category", "Cluster")]
public sealed class CatalogIngestTests(ClientApiFixture fixture)
{
    private const long SnapshotVersion = 1_000;

    [Fact]
    public async Task Sample_catalogue_ingests_across_two_silos_and_is_queryable_over_http()
    {
        var rows = ReadSampleRows();
        var tally = await IngestSampleAsync();

        Assert.Equal(rows.Count, tally[IngestStatus.Applied] + tally[IngestStatus.Duplicate]);
        Assert.Equal(0, tally[IngestStatus.Rejected] + tally[IngestStatus.Failed]);

        // Ingesting the same snapshot again changes nothing.
        var again = await IngestSampleAsync();
        Assert.Equal(rows.Count, again[IngestStatus.Duplicate]);

        var first = rows[0];
        var product = await fixture.Http.GetFromJsonAsync<ProductView>($"/api/products/{first.Id}", Json.Options);
        Assert.Equal(first.Name, product!.Name);
        Assert.Equal(first.Colour, product.KnownAttributes[AttributeNames.Colour]);
        Assert.Equal(first.Type, product.KnownAttributes[AttributeNames.Type]);
        Assert.NotNull(product.Image);
        var image = await fixture.Http.GetByteArrayAsync($"/api/images/{product.Image!.Sha256}");
        Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(RepoPaths.SampleImages, first.Id + ".jpg")), image);

        var expected = rows.Where(r => r is { Colour: "Black", Type: "Watches" }).Select(r => r.Id).Order().ToList();
        Assert.NotEmpty(expected);
        var page = await fixture.Http.GetFromJsonAsync<CatalogPage>("/api/products?colour=black&type=Watches&limit=200", Json.Options);
        Assert.Equal(expected.Count, page!.Total);
        Assert.Equal(expected, page.Items.Select(p => p.ProductId).Order());

        // The products really live on both silos, not on one.
        var management = fixture.Cluster.Client.GetGrain<IManagementGrain>(0);
        var stats = await management.GetSimpleGrainStatistics();
        var silosWithProducts = stats.Where(s => s.GrainType.Contains("ProductGrain") && s.ActivationCount > 0).Select(s => s.SiloAddress).Distinct();
        Assert.Equal(2, silosWithProducts.Count());
    }

    [Fact]
    public async Task Paging_walks_every_match_exactly_once_in_id_order()
    {
        await IngestSampleAsync();
        var expected = ReadSampleRows().Where(r => r.Colour == "Black").Select(r => r.Id).Order(StringComparer.Ordinal).ToList();
        var seen = new List<string>();
        string? cursor = null;
        do
        {
            // The catalogue's own values: other tests of this shared cluster add products the model calls black.
            var after = cursor is null ? "" : $"&after={Uri.EscapeDataString(cursor)}";
            var page = await fixture.Http.GetFromJsonAsync<CatalogPage>($"/api/products?colour=Black&source=catalogue&limit=7{after}", Json.Options);
            Assert.Equal(expected.Count, page!.Total);
            seen.AddRange(page.Items.Select(p => p.ProductId));
            // Bounded: a cursor that hands out pages again must fail here, not hang the run.
            Assert.True(seen.Count <= expected.Count, $"paging returned {seen.Count} products of {expected.Count}");
            cursor = page.NextCursor;
        } while (cursor is not null);
        Assert.Equal(expected, seen);
    }

    [Fact]
    public async Task Unknown_and_invalid_ids_and_attributes_get_clear_http_errors()
    {
        var missing = await fixture.Http.GetAsync("/api/products/no-such-product");
        var invalid = await fixture.Http.GetAsync("/api/products/" + Uri.EscapeDataString("<script>"));
        var badAttribute = await fixture.Http.GetAsync("/api/products?price=3");
        var badPage = await fixture.Http.GetAsync("/api/products?colour=Red&limit=x");

        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Contains("not in the catalogue", await missing.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badAttribute.StatusCode);
        Assert.Contains("not searchable", await badAttribute.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, badPage.StatusCode);
    }

    private Task<IngestTally> IngestSampleAsync() =>
        fixture.Ingestor.IngestAsync(CatalogCsvReader.ReadAsync(RepoPaths.SampleCatalog, RepoPaths.SampleImages, SnapshotVersion));

    internal sealed record Row(string Id, string Name, string Colour, string Type);

    internal static List<Row> ReadSampleRows()
    {
        using var reader = new StreamReader(RepoPaths.SampleCatalog);
        using var csv = new CsvReader(reader, CultureInfo.InvariantCulture);
        return csv.GetRecords<dynamic>()
            .Select(r => (IDictionary<string, object>)r)
            .Select(r => new Row((string)r["id"], (string)r["productDisplayName"], (string)r["baseColour"], (string)r["articleType"]))
            .ToList();
    }
}
