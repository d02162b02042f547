using Microsoft.Extensions.Options;

namespace Enrichment.Client.Tests;

/// <summary>Issue 10, item 9 (client side): options that cannot work stop the host at start with a message naming the key.</summary>
[Collection(ClientApiCollection.Name)]
[Trait("Category", "Cluster")]
public sealed class OptionsValidationTests(ClientApiFixture fixture)
{
    [Theory]
    [InlineData("Ingest:MaxImageBytes", "0")]
    [InlineData("Ingest:MaxRequestBytes", "-5")]
    [InlineData("Ingest:Parallelism", "0")]
    [InlineData("Ingest:MaxEventsPerRequest", "0")]
    public async Task Unusable_ingest_limits_stop_the_host_at_start(string key, string value)
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => fixture.StartAppAsync(new Dictionary<string, string?> { [key] = value }));

        Assert.Contains(key, error.Message);
    }
}
