using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CsvHelper;
using Enrichment.Abstractions;
using Enrichment.TestSupport;

namespace Enrichment.Client.Tests;

/// <summary>
/// Issue 21 (safe reviews, review at speed) over HTTP on the real cluster: a correction to a value the catalogue does
/// not use needs confirmation; undo restores the value before and is history itself; the history lists newest first;
/// a bulk accept answers per product and is bounded; the export lists every review exactly once while reviews go on.
/// Other tests of the collection review products too: everything here is counted relative to its own products.
/// </summary>
[Collection(ClientApiCollection.Name)]
[Trait("Category", "Cluster")]
public sealed class ReviewApiTests(ClientApiFixture fixture)
{
    /// <summary>Products with a photo, enriched by the cluster's model, with catalogue values no other test uses.</summary>
    private async Task<string[]> EnrichedProductsAsync(string prefix, int count, string colour)
    {
        var photo = Convert.ToBase64String(await File.ReadAllBytesAsync(Directory.GetFiles(RepoPaths.SampleImages, "*.jpg").Order().First()));
        var run = Guid.NewGuid().ToString("N")[..8];
        var ids = Enumerable.Range(0, count).Select(i => $"{prefix}-{run}-{i:D3}").ToArray();
        var posted = await fixture.Http.PostAsJsonAsync("/api/events", ids.Select(id => new
        {
            eventId = id + "-v1", productId = id, version = 1, name = "Review probe",
            attributes = new { colour, type = "ReviewProbes" }, imageBase64 = photo,
        }).ToArray());
        Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        await Eventually.Get(() => Task.WhenAll(ids.Select(ProductAsync)), views => views.All(v => v.EnrichmentStatus == EnrichmentStatus.Enriched),
            TimeSpan.FromMinutes(2), $"{count} review probes to be enriched", TimeSpan.FromMilliseconds(200),
            views => $"{views.Count(v => v.EnrichmentStatus != EnrichmentStatus.Enriched)} not enriched");
        return ids;
    }

    private async Task<ProductView> ProductAsync(string id) =>
        (await fixture.Http.GetFromJsonAsync<ProductView>($"/api/products/{id}", Json.Options))!;

    private Task<HttpResponseMessage> AdminAsync(string path, object body, HttpClient? http = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        request.Headers.Add("X-Admin-Token", ClientApiFixture.AdminToken);
        return (http ?? fixture.Http).SendAsync(request);
    }

    private async Task<ReviewHistoryEntry[]> HistoryAsync(string productId) =>
        (await fixture.Http.GetFromJsonAsync<ReviewHistoryPage>($"/api/review/history?productId={productId}&limit=200", Json.Options))!.Items;

    [Fact]
    public async Task A_value_the_catalogue_does_not_use_is_refused_with_the_closest_known_ones_until_confirmed_and_then_marked_new()
    {
        var ids = await EnrichedProductsAsync("review-new", 2, "Slate Probe");
        var before = await ProductAsync(ids[0]);

        var refused = await AdminAsync($"/api/admin/products/{ids[0]}/review", new { attribute = "colour", value = "Salte Probe", by = "ana" });
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await refused.Content.ReadAsStringAsync());
        Assert.Contains("newValue", problem.RootElement.GetProperty("detail").GetString());
        var closest = problem.RootElement.GetProperty("closest").EnumerateArray().Select(c => c.GetProperty("value").GetString()).ToList();
        Assert.Equal("Slate Probe", closest[0]);
        Assert.Equal(before.KnownAttributes["colour"], (await ProductAsync(ids[0])).KnownAttributes["colour"]);
        Assert.Empty(await HistoryAsync(ids[0]));

        // A known value in other case and spacing is taken in the catalogue's spelling, without confirmation.
        var known = await AdminAsync($"/api/admin/products/{ids[0]}/review", new { attribute = "colour", value = "slate  PROBE", by = "ana" });
        Assert.Equal(HttpStatusCode.OK, known.StatusCode);
        Assert.Equal("Slate Probe", (await ProductAsync(ids[0])).KnownAttributes["colour"]);

        var confirmed = await AdminAsync($"/api/admin/products/{ids[0]}/review", new { attribute = "colour", value = "Salte Probe", newValue = true, by = "ana", note = "new shade" });
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        var product = (await confirmed.Content.ReadFromJsonAsync<ProductView>(Json.Options))!;
        Assert.Equal(("Salte Probe", true), (product.KnownAttributes["colour"], product.Reviews["colour"].NewValue));
        var newest = (await HistoryAsync(ids[0]))[0];
        Assert.Equal((ReviewAction.Corrected, "Slate Probe", "Salte Probe", true, "ana", "new shade"),
            (newest.Action, newest.From, newest.To, newest.NewValue, newest.By, newest.Note));
    }

    [Fact]
    public async Task Undo_restores_the_previous_value_and_every_decision_is_history_newest_first()
    {
        var id = (await EnrichedProductsAsync("review-undo", 1, "Undo Probe"))[0];
        var predicted = (await ProductAsync(id)).Enrichment!.Attributes["colour"].Value;

        Assert.Equal(HttpStatusCode.OK, (await AdminAsync($"/api/admin/products/{id}/review", new { attribute = "colour", by = "ana" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await AdminAsync($"/api/admin/products/{id}/review",
            new { attribute = "colour", value = "Undo Probe Two", newValue = true, by = "bo" })).StatusCode);

        var undo = await AdminAsync($"/api/admin/products/{id}/review/undo", new { attribute = "colour", by = "cy", note = "wrong product" });
        Assert.Equal(HttpStatusCode.OK, undo.StatusCode);
        var afterUndo = (await undo.Content.ReadFromJsonAsync<ProductView>(Json.Options))!;
        Assert.Equal(predicted, afterUndo.KnownAttributes["colour"]);
        Assert.Equal("ana", afterUndo.Reviews["colour"].By);

        var second = await AdminAsync($"/api/admin/products/{id}/review/undo", new { attribute = "colour", by = "cy" });
        Assert.Equal("Undo Probe", (await second.Content.ReadFromJsonAsync<ProductView>(Json.Options))!.KnownAttributes["colour"]);
        var nothing = await AdminAsync($"/api/admin/products/{id}/review/undo", new { attribute = "colour", by = "cy" });
        Assert.Equal(HttpStatusCode.Conflict, nothing.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await AdminAsync("/api/admin/products/no-such-product/review/undo", new { attribute = "colour", by = "cy" })).StatusCode);

        var history = await HistoryAsync(id);
        Assert.Equal([4L, 3L, 2L, 1L], history.Select(e => e.Entry));
        Assert.Equal([ReviewAction.Undone, ReviewAction.Undone, ReviewAction.Corrected, ReviewAction.Accepted], history.Select(e => e.Action));
        Assert.Equal([(long?)1, 2, null, null], history.Select(e => e.Undoes));
        Assert.Equal([(predicted, "Undo Probe"), ("Undo Probe Two", predicted), (predicted, "Undo Probe Two"), ("Undo Probe", predicted)],
            history.Select(e => (e.From, e.To)));
        // The product keeps its history too, oldest first.
        Assert.Equal([1L, 2L, 3L, 4L], (await ProductAsync(id)).ReviewHistory.Select(e => e.Entry));

        // The whole log pages newest first with its cursor: these four entries appear in order, once.
        var seen = new List<(string, long)>();
        for (string? before = null; ;)
        {
            var page = (await fixture.Http.GetFromJsonAsync<ReviewHistoryPage>($"/api/review/history?limit=3{(before is null ? "" : "&before=" + before)}", Json.Options))!;
            seen.AddRange(page.Items.Select(e => (e.ProductId, e.Entry)));
            if ((before = page.NextCursor) is null) break;
        }
        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.Equal([4L, 3L, 2L, 1L], seen.Where(e => e.Item1 == id).Select(e => e.Item2));
        Assert.Equal(HttpStatusCode.BadRequest, (await fixture.Http.GetAsync("/api/review/history?limit=0")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await fixture.Http.GetAsync("/api/review/history?before=nope")).StatusCode);
    }

    [Fact]
    public async Task A_bulk_accept_answers_per_product_counts_only_what_was_stored_and_is_bounded()
    {
        var ids = await EnrichedProductsAsync("review-bulk", 10, "Bulk Probe");
        var unenriched = $"review-bulk-plain-{Guid.NewGuid():N}";
        Assert.Equal(HttpStatusCode.OK, (await fixture.Http.PostAsJsonAsync("/api/events",
            new { eventId = unenriched + "-v1", productId = unenriched, version = 1, name = "No photo", attributes = new { colour = "Bulk Probe" } })).StatusCode);
        var items = ids.Select(id => new { productId = id, attribute = "colour" })
            .Append(new { productId = "review-bulk-missing", attribute = "colour" })
            .Append(new { productId = unenriched, attribute = "colour" })
            .Append(new { productId = "bad id", attribute = "colour" })
            .ToArray();

        var response = await AdminAsync("/api/admin/review/bulk", new { by = "bulk-tester", items });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var results = body.RootElement.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(items.Select(i => i.productId), results.Select(r => r.GetProperty("productId").GetString()));
        Assert.Equal(Enumerable.Repeat(200, 10).Concat([404, 400, 400]), results.Select(r => r.GetProperty("status").GetInt32()));
        Assert.All(results.Skip(10), r => Assert.False(string.IsNullOrEmpty(r.GetProperty("problem").GetString())));
        Assert.Equal((10, 3), (body.RootElement.GetProperty("reviewed").GetInt32(), body.RootElement.GetProperty("failed").GetInt32()));
        foreach (var id in ids)
        {
            var product = await ProductAsync(id);
            Assert.Equal(("bulk-tester", true), (product.Reviews["colour"].By, product.Reviews["colour"].AcceptedModel));
            Assert.Equal(product.Enrichment!.Attributes["colour"].Value, product.KnownAttributes["colour"]);
        }
        Assert.Empty((await ProductAsync(unenriched)).Reviews);

        var tooMany = Enumerable.Range(0, ReviewRules.MaxBulk + 1).Select(i => new { productId = $"p{i}", attribute = "colour" }).ToArray();
        var refused = await AdminAsync("/api/admin/review/bulk", new { by = "bulk-tester", items = tooMany });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains($"{ReviewRules.MaxBulk}", await refused.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, (await fixture.Http.PostAsJsonAsync("/api/admin/review/bulk", new { by = "x", items })).StatusCode);
    }

    [Fact]
    public async Task The_export_lists_every_review_exactly_once_across_pages_while_reviews_go_on()
    {
        var ids = await EnrichedProductsAsync("review-export", 30, "Export Probe");
        foreach (var id in ids.Take(20))
        {
            Assert.Equal(HttpStatusCode.OK, (await AdminAsync($"/api/admin/products/{id}/review", new { attribute = "colour", by = "exporter" })).StatusCode);
        }
        // Small pages through a second host on the same cluster, so the export crosses many page boundaries.
        var (app, http) = await fixture.StartAppAsync(new Dictionary<string, string?> { ["Api:ReviewExportPageSize"] = "2" });
        await using var _ = app;
        using var __ = http;

        // The export, against the history read another way (newest first through its own cursor): the same entries, each once.
        var listed = await HistoryKeysAsync(http);
        var before = await ExportKeysAsync(http, "ndjson");
        Assert.Equal(before.Count, before.Distinct().Count());
        Assert.Equal(listed.Order().ToList(), before.Order().ToList());
        Assert.All(ids.Take(20), id => Assert.Contains((id, 1L), before));

        // Reviews land while the export pages through (pages of 2: a grain call per page): on products before and after
        // its position, and undone and made again, so entries are added behind it and ahead of it. Every answer is
        // checked; what the export must show does not depend on how the two interleave.
        var reviewer = Task.Run(async () =>
        {
            for (var i = 0; i < 40; i++)
            {
                var id = ids[(i * 11) % ids.Length];
                var path = i % 2 == 0 ? $"/api/admin/products/{id}/review" : $"/api/admin/products/{id}/review/undo";
                var answer = await AdminAsync(path, new { attribute = "colour", by = "exporter" });
                Assert.True(answer.StatusCode is HttpStatusCode.OK or HttpStatusCode.Conflict, $"{path}: {answer.StatusCode}");
            }
        });
        var during = await ExportKeysAsync(http, "ndjson");
        await reviewer;
        Assert.Equal(during.Count, during.Distinct().Count());
        Assert.All(before, key => Assert.Contains(key, during));
        var after = await ExportKeysAsync(http, "csv");
        Assert.Equal((await HistoryKeysAsync(http)).Order().ToList(), after.Order().ToList());
        Assert.All(during, key => Assert.Contains(key, after));
        Assert.Equal(HttpStatusCode.BadRequest, (await http.GetAsync("/api/review/export?format=xml")).StatusCode);
    }

    /// <summary>Every (product, entry) key of the review history, paged newest first.</summary>
    private static async Task<List<(string, long)>> HistoryKeysAsync(HttpClient http)
    {
        var keys = new List<(string, long)>();
        for (string? before = null; ;)
        {
            var page = (await http.GetFromJsonAsync<ReviewHistoryPage>($"/api/review/history?limit=200{(before is null ? "" : "&before=" + before)}", Json.Options))!;
            keys.AddRange(page.Items.Select(e => (e.ProductId, e.Entry)));
            if ((before = page.NextCursor) is null) return keys;
        }
    }

    /// <summary>The (product, entry) keys of an export, read line by line as it streams.</summary>
    private static async Task<List<(string, long)>> ExportKeysAsync(HttpClient http, string format)
    {
        using var response = await http.GetAsync($"/api/review/export?format={format}", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(format == "csv" ? "text/csv" : "application/x-ndjson", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var keys = new List<(string, long)>();
        if (format == "csv")
        {
            using var csv = new CsvReader(reader, CultureInfo.InvariantCulture);
            await csv.ReadAsync();
            csv.ReadHeader();
            while (await csv.ReadAsync())
            {
                keys.Add((csv.GetField("productId")!, long.Parse(csv.GetField("entry")!, CultureInfo.InvariantCulture)));
            }
            return keys;
        }
        while (await reader.ReadLineAsync() is { } line)
        {
            var entry = JsonSerializer.Deserialize<ReviewHistoryEntry>(line, Json.Options)!;
            keys.Add((entry.ProductId, entry.Entry));
        }
        return keys;
    }

    [Fact]
    public async Task Search_filters_reviewed_products_and_the_queue_says_how_long_it_is()
    {
        var ids = await EnrichedProductsAsync("review-filter", 3, "Filter Probe");
        Assert.Equal(HttpStatusCode.OK, (await AdminAsync($"/api/admin/products/{ids[0]}/review", new { attribute = "colour", by = "ana" })).StatusCode);

        var reviewed = await fixture.Http.GetFromJsonAsync<CatalogPage>("/api/products?type=ReviewProbes&colour=Filter%20Probe&reviewed=true", Json.Options);
        var notReviewed = await fixture.Http.GetFromJsonAsync<CatalogPage>("/api/products?type=ReviewProbes&colour=Filter%20Probe&reviewed=false", Json.Options);
        // The reviewed one now carries the model's colour as its catalogue value: found by its id among reviewed products.
        var allReviewed = await fixture.Http.GetFromJsonAsync<CatalogPage>("/api/products?type=ReviewProbes&reviewed=true&limit=200", Json.Options);
        Assert.Contains(allReviewed!.Items, p => p.ProductId == ids[0]);
        Assert.All(allReviewed.Items, p => Assert.NotEmpty(p.Reviews));
        Assert.Equal(0, reviewed!.Total);
        Assert.Equal([ids[1], ids[2]], notReviewed!.Items.Select(p => p.ProductId));
        Assert.Equal(HttpStatusCode.BadRequest, (await fixture.Http.GetAsync("/api/products?reviewed=maybe")).StatusCode);

        var queue = await fixture.Http.GetFromJsonAsync<ReviewPage>("/api/review?kind=lowConfidence&attribute=colour&threshold=1&limit=1", Json.Options);
        Assert.True(queue!.Total >= 2 && queue.Items.Length == 1, $"queue total {queue.Total}");
    }
}
