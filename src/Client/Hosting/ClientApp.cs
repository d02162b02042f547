using Enrichment.Client.Api;
using Enrichment.Client.Ingest;

namespace Enrichment.Client.Hosting;

/// <summary>Builds the HTTP API host: used by the `serve` command and by the tests, which run it on a free loopback port.</summary>
public static class ClientApp
{
    public static WebApplication Create(IDictionary<string, string?> configuration, string urls, IngestSources? startupIngest = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.AddEnrichmentClient(configuration);
        builder.WebHost.UseUrls(urls);
        if (startupIngest is not null)
        {
            builder.Services.AddSingleton(startupIngest);
            builder.Services.AddHostedService<StartupIngestService>();
        }
        builder.Services.Configure<AdminOptions>(builder.Configuration.GetSection(AdminOptions.Section));
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter()));
        var app = builder.Build();
        app.UseDefaultFiles();
        app.UseStaticFiles();
        app.MapGet("/healthz", () => Results.Ok("ok"));
        app.MapPrometheusScrapingEndpoint();
        app.MapProductEndpoints();
        app.MapIngestEndpoints();
        app.MapModelEndpoints();
        app.MapEnrichmentEndpoints();
        return app;
    }
}
