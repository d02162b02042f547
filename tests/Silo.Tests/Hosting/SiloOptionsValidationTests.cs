using Enrichment.Silo.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Enrichment.Silo.Tests.Hosting;

/// <summary>Issue 10, item 9: whatever path configures a silo host, it does not start on options it cannot use.</summary>
[Trait("Category", "Unit")]
public sealed class SiloOptionsValidationTests
{
    [Fact]
    public async Task A_host_with_invalid_silo_options_fails_at_start_listing_every_problem()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Cluster:SiloPort"] = "0",
            ["Cluster:GatewayPort"] = "30000",
            ["Cluster:Accelerator"] = "tpu",
            ["Metrics:Port"] = "-1",
            ["Cluster:PostgresPoolSize"] = "0",
        });
        builder.Services.AddSiloOptionsValidation(builder.Configuration);
        using var host = builder.Build();

        // One OptionsValidationException per options type, aggregated when several are wrong.
        var error = await Assert.ThrowsAsync<AggregateException>(() => host.StartAsync());

        var all = string.Join("\n", error.InnerExceptions.OfType<OptionsValidationException>().SelectMany(e => e.Failures));
        Assert.Contains("--silo-port", all);
        Assert.Contains("--accelerator", all);
        Assert.Contains("--metrics-port", all);
        Assert.Contains("Cluster:PostgresPoolSize", all);
    }
}
