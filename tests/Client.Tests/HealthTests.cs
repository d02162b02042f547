using System.Net;

namespace Enrichment.Client.Tests;

/// <summary>Issue 10, item 10: liveness says the process serves; readiness says the cluster answers.</summary>
[Collection(ClientApiCollection.Name)]
[Trait("Category", "Cluster")]
public sealed class HealthTests(ClientApiFixture fixture)
{
    [Theory]
    [InlineData("/healthz")]
    [InlineData("/healthz/live")]
    [InlineData("/healthz/ready")]
    public async Task Health_endpoints_answer_healthy_while_the_cluster_is_up(string path)
    {
        var response = await fixture.Http.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }
}
