using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Enrichment.Client.Ingest;
using Microsoft.AspNetCore.Http;

namespace Enrichment.Client.Tests;

/// <summary>Issue 10, items 3, 7 and 8: bad query values, deep pages and unknown routes get a fast, described 4xx.</summary>
[Collection(ClientApiCollection.Name)]
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
    public async Task A_repeated_search_parameter_is_a_bad_request_not_a_search_for_the_joined_values() =>
        await ProblemAsync("/api/products?type=Shirts&type=Watches", HttpStatusCode.BadRequest);

    [Fact]
    public async Task Over_long_query_values_are_a_bad_request() =>
        await ProblemAsync($"/api/products?type={new string('a', 5000)}", HttpStatusCode.BadRequest);

    [Fact]
    public async Task A_page_beyond_the_end_is_empty_and_an_absurd_page_is_refused_not_wrapped_to_page_one()
    {
        var colour = $"Pagingcolour{Guid.NewGuid():N}"[..24];
        var result = await fixture.Ingestor.IngestOneAsync(NdjsonEventReader.Parse(
            $$$"""{"eventId":"e-{{{colour}}}","productId":"{{{colour}}}","version":1,"name":"n","attributes":{"colour":"{{{colour}}}"}}""", "paging:1", null));
        Assert.Equal(IngestStatus.Applied, result.Status);

        var first = await fixture.Http.GetFromJsonAsync<JsonElement>($"/api/products?colour={colour}&page=1&pageSize=200");
        var second = await fixture.Http.GetFromJsonAsync<JsonElement>($"/api/products?colour={colour}&page=2&pageSize=200");
        Assert.Equal(1, first.GetProperty("items").GetArrayLength());
        Assert.Equal(0, second.GetProperty("items").GetArrayLength());

        var problem = await ProblemAsync($"/api/products?colour={colour}&page=2147483647&pageSize=200", HttpStatusCode.BadRequest);
        Assert.Contains("page", problem.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("/api/rejected?take=-1")]
    [InlineData("/api/rejected?take=0")]
    [InlineData("/api/rejected?take=100000")]
    [InlineData("/api/rejected?skip=-5")]
    [InlineData("/api/rejected?take=x")]
    [InlineData("/api/rejected?skip=99999999999")]
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
