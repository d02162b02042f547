using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Enrichment.Abstractions;

namespace Enrichment.Client.Tests;

/// <summary>Issue 10, item 1: no size a sender controls may grow a reason, a log line or the rejected list.</summary>
[Collection(ClientApiCollection.Name)]
[Trait("Category", "Cluster")]
public sealed class SizeBoundTests(ClientApiFixture fixture)
{
    private static string EventWithAttributes(string productId, IEnumerable<string> names)
    {
        var attributes = string.Join(",", names.Select(n => $"\"{n}\":\"x\""));
        return $$$"""{"eventId":"e-{{{productId}}}","productId":"{{{productId}}}","version":1,"name":"n","attributes":{{{{attributes}}}}}""";
    }

    private async Task<JsonElement> PostOneAsync(string json)
    {
        var response = await fixture.Http.PostAsync("/api/events", new StringContent(json, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("results")[0];
    }

    [Fact]
    public async Task A_hundred_thousand_attribute_names_cost_one_short_reason_and_the_rejected_list_stays_readable()
    {
        var id = $"many-attrs-{Guid.NewGuid():N}"[..24];
        var result = await PostOneAsync(EventWithAttributes(id, Enumerable.Range(0, 100_000).Select(i => $"Bad Name {i}")));

        Assert.Equal("Rejected", result.GetProperty("status").GetString());
        var reason = result.GetProperty("reason").GetString()!;
        Assert.Contains($"at most {ProductEventValidator.MaxAttributes} attributes", reason);
        Assert.True(reason.Length <= RejectedEvent.MaxReasonLength + 50, $"reason is {reason.Length} characters");

        var page = await fixture.Http.GetFromJsonAsync<RejectedPage>("/api/rejected?take=500", Json.Options);
        var row = Assert.Single(page!.Items, r => r.ProductId == id);
        Assert.True(row.Reason.Length <= RejectedEvent.MaxReasonLength + 50);
        Assert.True((row.RawExcerpt ?? "").Length <= RejectedEvent.MaxExcerptLength + 50);
    }

    [Fact]
    public async Task Many_problems_under_the_count_limit_are_listed_first_few_then_counted()
    {
        var id = $"bad-names-{Guid.NewGuid():N}"[..24];
        var result = await PostOneAsync(EventWithAttributes(id, Enumerable.Range(0, 30).Select(i => $"Bad Name {i}")));

        var reason = result.GetProperty("reason").GetString()!;
        Assert.Equal("Rejected", result.GetProperty("status").GetString());
        Assert.Contains("'Bad Name 0'", reason);
        Assert.DoesNotContain("'Bad Name 29'", reason);
        Assert.Contains($"and {30 - ProductEventValidator.MaxReportedProblems} more problems", reason);
    }

    [Fact]
    public async Task Rejected_list_rows_are_bounded_whatever_a_recorder_sends()
    {
        var huge = new string('r', 1_000_000);
        var marker = $"bounded-{Guid.NewGuid():N}"[..20];
        var grain = fixture.Cluster.Client.GetGrain<IRejectedEventsGrain>(0);
        await grain.Record(new RejectedEvent(marker + huge, huge, marker, huge, huge, DateTimeOffset.UtcNow));

        var row = Assert.Single((await grain.List(null, 500)).Items, r => r.ProductId == marker);
        Assert.True(row.Source.Length <= RejectedEvent.MaxSourceLength + 50);
        Assert.True(row.EventId!.Length <= RejectedEvent.MaxIdLength + 50);
        Assert.True(row.Reason.Length <= RejectedEvent.MaxReasonLength + 50);
        Assert.True(row.RawExcerpt!.Length <= RejectedEvent.MaxExcerptLength + 50);
        Assert.Contains("more characters", row.Reason);
    }
}
