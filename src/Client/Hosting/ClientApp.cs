using Enrichment.Client.Api;
using Enrichment.Client.Ingest;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;

namespace Enrichment.Client.Hosting;

/// <summary>Builds the HTTP API host: used by the `serve` command and by the tests, which run it on a free loopback port.</summary>
public static class ClientApp
{
    /// <param name="configure">Last changes to the host before it is built (tests add a log capture here).</param>
    public static WebApplication Create(
        IDictionary<string, string?> configuration, string urls, IngestSources? startupIngest = null, Action<WebApplicationBuilder>? configure = null)
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
        builder.Services.AddOptions<ApiOptions>().Bind(builder.Configuration.GetSection(ApiOptions.Section))
            .Validate(o => o.ClusterCallTimeout > TimeSpan.Zero && o.DeploymentCallTimeout > TimeSpan.Zero, "Api:ClusterCallTimeout and Api:DeploymentCallTimeout must be positive")
            .ValidateDataAnnotations().ValidateOnStart();
        builder.Services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter(allowIntegerValues: false));
            // Writing "NaN" beats failing the whole response: state persisted before validation was tightened may hold one.
            // Reading one is harmless: every request number is checked for finiteness before use.
            o.SerializerOptions.NumberHandling |= System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals;
        });
        // Every error answer, including the framework's own (unknown route, unbindable query value), is RFC 9457.
        builder.Services.AddProblemDetails();
        builder.Services.AddSingleton<Enrichment.Client.Api.TrainingStatusFeed>();
        builder.Services.AddKeyedSingleton(Enrichment.Client.Api.BoundedClusterCallFilter.ClockKey, TimeProvider.System);
        builder.Services.AddExceptionHandler<BadRequestExceptionHandler>();
        // Binding failures (unreadable JSON, a value no converter accepts) reach that handler, whose problem says which
        // field and why, instead of an empty 400.
        builder.Services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.Services.AddHealthChecks().AddCheck<ClusterReadyCheck>("cluster", tags: ["ready"]);
        builder.Services.AddApiDescription();
        configure?.Invoke(builder);

        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseSecurityHeaders();
        app.UseQueryStringGuard();
        app.UseDefaultFiles();
        app.UseStaticFiles();
        // Liveness: the process serves requests. Readiness: the cluster answers too. /healthz is kept for old probes.
        app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/healthz/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/healthz/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") });
        app.MapPrometheusScrapingEndpoint();
        app.MapProductEndpoints();
        app.MapIngestEndpoints();
        app.MapModelEndpoints();
        app.MapReviewEndpoints();
        app.MapReviewHistoryEndpoints();
        app.MapEnrichmentEndpoints();
        app.MapApiDescription();
        // The same options the Orleans client was built with: its dashboard services and these pages go together.
        if (app.Services.GetRequiredService<ClusterClientOptions>().Dashboard)
        {
            app.MapClusterDashboard();
        }
        return app;
    }
}
