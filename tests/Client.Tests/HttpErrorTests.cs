using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Enrichment.Client.Ingest;
using Microsoft.AspNetCore.Http;

namespace Enrichment.Client.Tests;

/// <summary>Issue 10, items 3, 7 and 8: bad query values, deep pages and unknown routes get a fast, described 4xx.</summary>
[Collection(ClientApiCollection.Name)]
[Trait("Category", "Cluster")]
public sealed class HttpErrorTests(ClientApiFixture fixture)
{
    private async Task<JsonElement> ProblemAsync(string path, HttpStatusCode status)
    {
        var response = await fixture.Http.GetAsync(path);
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        return problem;
    }

    [Theory]
    [InlineData("/api/products?type=%00")]
    [InlineData("/api/products?colour=Red%0A")]
    [InlineData("/api/products?colour=Re%E2%80%8Bd")]
    [InlineData("/api/products?type=%E2%80%AEsehctaW")]
    [InlineData("/api/rejected?take=5&x%00=1")]
    public async Task Control_and_invisible_characters_in_query_values_are_a_bad_request(string path)
    {
        var problem = await ProblemAsync(path, HttpStatusCode.BadRequest);
        Assert.Contains("control", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_repeated_non_attribute_parameter_is_a_bad_request_not_a_search_for_the_joined_values() =>
        await ProblemAsync("/api/products?q=shirt&q=watch", HttpStatusCode.BadRequest);

    [Theory]
    [InlineData("/api/products?page=2", "cursor")]
    [InlineData("/api/products?limit=0", "limit")]
    [InlineData("/api/products?limit=201", "limit")]
    [InlineData("/api/products?after=not-a-cursor%21", "cursor")]
    [InlineData("/api/products?source=guess", "source")]
    [InlineData("/api/products?source=1", "source")]
    [InlineData("/api/products?status=Done", "status")]
    [InlineData("/api/products?minConfidence=2", "minConfidence")]
    [InlineData("/api/products?minConfidence=NaN", "minConfidence")]
    [InlineData("/api/products?facets=maybe", "facets")]
    [InlineData("/api/products?q=%20-%20", "q")]
    [InlineData("/api/products?colour=", "colour")]
    public async Task Bad_search_parameters_are_a_problem_that_names_them(string path, string named)
    {
        var problem = await ProblemAsync(path, HttpStatusCode.BadRequest);
        Assert.Contains(named, problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Over_long_query_values_are_a_bad_request() =>
        await ProblemAsync($"/api/products?type={new string('a', 5000)}", HttpStatusCode.BadRequest);

    [Fact]
    public async Task The_last_page_has_no_cursor_and_an_absurd_limit_is_refused()
    {
        var colour = $"Pagingcolour{Guid.NewGuid():N}"[..24];
        var result = await fixture.Ingestor.IngestOneAsync(NdjsonEventReader.Parse(
            $$$"""{"eventId":"e-{{{colour}}}","productId":"{{{colour}}}","version":1,"name":"n","attributes":{"colour":"{{{colour}}}"}}""", "paging:1", null));
        Assert.Equal(IngestStatus.Applied, result.Status);

        var first = await fixture.Http.GetFromJsonAsync<JsonElement>($"/api/products?colour={colour}&limit=200");
        Assert.Equal(1, first.GetProperty("items").GetArrayLength());
        Assert.Equal(JsonValueKind.Null, first.GetProperty("nextCursor").ValueKind);

        var problem = await ProblemAsync($"/api/products?colour={colour}&limit=2147483647", HttpStatusCode.BadRequest);
        Assert.Contains("limit", problem.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("/api/rejected?take=-1")]
    [InlineData("/api/rejected?take=0")]
    [InlineData("/api/rejected?take=100000")]
    [InlineData("/api/rejected?skip=5")]
    [InlineData("/api/rejected?before=-5")]
    [InlineData("/api/rejected?before=abc")]
    [InlineData("/api/rejected?take=x")]
    [InlineData("/api/rejected?before=99999999999999999999999")]
    public async Task Out_of_range_or_unreadable_list_parameters_are_a_problem(string path) =>
        await ProblemAsync(path, HttpStatusCode.BadRequest);

    [Theory]
    [InlineData("/api/nothing-here")]
    [InlineData("/api/products/a/b/c")]
    public async Task Unknown_routes_answer_a_problem(string path) =>
        await ProblemAsync(path, HttpStatusCode.NotFound);

    [Fact]
    public async Task An_oversized_body_is_a_413_problem_and_not_logged_as_an_unhandled_exception()
    {
        var logs = new CapturedLogs();
        var (app, http) = await fixture.StartAppAsync(new Dictionary<string, string?> { ["Ingest:MaxRequestBytes"] = "100000" }, logs);
        await using var _ = app;
        using var __ = http;

        // Declared length over the limit, and a chunked body (no length) that only Kestrel's count can stop.
        var declared = await http.PostAsync("/api/events", new StringContent(new string(' ', 200_000), Encoding.UTF8, "application/json"));
        var chunked = new StreamContent(new MemoryStream(new byte[300_000]));
        chunked.Headers.ContentType = new("application/json");
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/events") { Content = chunked };
        request.Headers.TransferEncodingChunked = true;
        var streamed = await http.SendAsync(request);

        foreach (var response in new[] { declared, streamed })
        {
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
        Assert.DoesNotContain(logs.Entries, e => e.Exception is BadHttpRequestException || e.Message.Contains("unhandled", StringComparison.OrdinalIgnoreCase));
    }
}
