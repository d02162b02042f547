using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Enrichment.Abstractions;
using Enrichment.Client.Ingest;

namespace Enrichment.Client.Tests;

/// <summary>
/// Issue 21: a refused event lists every problem (up to the cap), keeps the ids that could be read, and no reason names
/// a .NET type; the rejected list filters by reason text and by product id.
/// </summary>
[Trait("Category", "Unit")]
public sealed class RejectionReasonTests
{
    /// <summary>What a .NET type name looks like in a message: a namespace, a generic arity, a CLR primitive's name.</summary>
    internal const string DotNetType = @"System\.|Enrichment\.|Nullable|`1|Int32|Int64|DateTimeOffset|EventDocument|TrainingRequest|Dictionary|\b(string|long|int)\?";

    [Fact]
    public void Bad_id_and_bad_base64_are_both_listed_and_the_ids_are_kept()
    {
        var incoming = NdjsonEventReader.Parse("""{"eventId":"e-1","productId":"bad id!","version":1,"name":"Shirt","imageBase64":"***"}""", "t:1", null);

        Assert.NotNull(incoming.Error);
        Assert.Contains("imageBase64 is not valid base64", incoming.Error);
        Assert.Contains("productId 'bad id!' may contain only", incoming.Error);
        Assert.Equal("e-1", incoming.Event?.EventId);
        Assert.Equal("bad id!", incoming.Event?.ProductId);
    }

    [Fact]
    public void Problems_past_the_cap_are_counted_not_listed()
    {
        // No version, bad base64, bad product id, no event id, no name, a bad attribute name: six problems.
        var incoming = NdjsonEventReader.Parse("""{"productId":"a b","imageBase64":"***","attributes":{"Bad Name":"x"}}""", "t:1", null);

        var reasons = incoming.Error!.Split("; ");
        Assert.Equal(ProductEventValidator.MaxReportedProblems + 1, reasons.Length);
        Assert.Equal("version is required", reasons[0]);
        Assert.Equal("imageBase64 is not valid base64", reasons[1]);
        Assert.Equal("and 1 more problems", reasons[^1]);
        Assert.Equal("a b", incoming.Event?.ProductId);
    }

    [Theory]
    [InlineData("""{"eventId":"e-2","productId":"p-2","version":"seven","name":"n"}""", "version must be a whole number")]
    [InlineData("""{"eventId":"e-2","productId":"p-2","version":1.5,"name":"n"}""", "version must be a whole number")]
    [InlineData("""{"eventId":"e-2","productId":"p-2","version":1,"name":"n","occurredAt":"yesterday"}""", "occurredAt must be a date and time")]
    [InlineData("""{"eventId":"e-2","productId":"p-2","version":1,"name":["n"]}""", "name must be a string, got an array")]
    [InlineData("""{"eventId":"e-2","productId":"p-2","version":1,"name":"n","attributes":{"colour":7}}""", "attribute 'colour' must be a string")]
    [InlineData("""{"eventId":"e-2","productId":"p-2","version":1,"name":"n","attributes":[]}""", "attributes must be an object")]
    [InlineData("""{"eventId":"e-2","productId":"p-2","version":1,"version":2,"name":"n"}""", "'version' appears more than once")]
    public void A_field_of_the_wrong_type_is_named_without_a_dotnet_type_and_the_ids_are_kept(string json, string reason)
    {
        var incoming = NdjsonEventReader.Parse(json, "t:1", null);

        Assert.Contains(reason, incoming.Error);
        Assert.DoesNotMatch(DotNetType, incoming.Error);
        Assert.Equal("e-2", incoming.Event?.EventId);
        Assert.Equal("p-2", incoming.Event?.ProductId);
    }

    [Theory]
    [InlineData("[1,2,3]", "expected a JSON object, got an array")]
    [InlineData("\"text\"", "expected a JSON object, got a string")]
    [InlineData("{not json", "malformed JSON at line 1")]
    [InlineData("""{"eventId":"e","productId":"p","version":1,"name":"n" """, "malformed JSON")]
    public void Text_that_is_not_an_event_says_so_without_a_dotnet_type(string json, string reason)
    {
        var incoming = NdjsonEventReader.Parse(json, "t:1", null);

        Assert.Contains(reason, incoming.Error);
        Assert.DoesNotMatch(DotNetType, incoming.Error);
    }
}

[Collection(ClientApiCollection.Name)]
[Trait("Category", "Cluster")]
public sealed class RejectedListTests(ClientApiFixture fixture)
{
    [Fact]
    public async Task A_rejection_over_http_keeps_its_ids_and_every_reason_and_the_list_filters_by_product_and_reason()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var body = $$"""
            [
              {"eventId":"r1-{{run}}","productId":"bad id {{run}}","version":1,"name":"n","imageBase64":"***"},
              {"eventId":"r2-{{run}}","productId":"ok-{{run}}","version":1,"name":"n","attributes":{"Bad Name":"x"} },
              {"eventId":"r3-{{run}}","productId":"ok-{{run}}","version":"x","name":"n"}
            ]
            """;
        var response = await fixture.Http.PostAsync("/api/events", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var byProduct = await fixture.Http.GetFromJsonAsync<RejectedPage>($"/api/rejected?productId=bad%20id%20{run}", Json.Options);
        var row = Assert.Single(byProduct!.Items);
        Assert.Equal(1, byProduct.Total);
        Assert.Equal($"r1-{run}", row.EventId);
        Assert.Contains("not valid base64", row.Reason);
        Assert.Contains("may contain only", row.Reason);

        var ok = await fixture.Http.GetFromJsonAsync<RejectedPage>($"/api/rejected?productId=ok-{run}", Json.Options);
        Assert.Equal([$"r3-{run}", $"r2-{run}"], ok!.Items.Select(r => r.EventId));
        Assert.All(ok.Items, r => Assert.DoesNotMatch(RejectionReasonTests.DotNetType, r.Reason));

        var byReason = await fixture.Http.GetFromJsonAsync<RejectedPage>($"/api/rejected?reason=ATTRIBUTE%20NAME&productId=ok-{run}", Json.Options);
        Assert.Equal([$"r2-{run}"], byReason!.Items.Select(r => r.EventId));

        var tooLong = await fixture.Http.GetAsync($"/api/rejected?reason={new string('x', RejectedFilter.MaxReasonLength + 1)}");
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
    }

    [Fact]
    public async Task A_malformed_admin_body_is_a_problem_that_names_no_dotnet_type()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/admin/training") { Content = new StringContent("""{"epochs":"x"}""", Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Admin-Token", ClientApiFixture.AdminToken);
        var response = await fixture.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var detail = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString()!;
        Assert.Contains("epochs", detail);
        Assert.DoesNotMatch(RejectionReasonTests.DotNetType, detail);
    }
}
