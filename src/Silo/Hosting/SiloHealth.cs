using System.Net;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Enrichment.Silo.Hosting;

/// <summary>
/// Liveness and readiness of a silo, from the health-check framework, served on http://HOST:PORT/healthz/live and
/// /healthz/ready (bound from "Health"; port 0 = off). An HttpListener, like the metrics endpoint: the silo's
/// runtime image has no ASP.NET Core.
/// </summary>
public static class SiloHealth
{
    public const string Section = "Health";
    public const string ReadyTag = "ready";

    public sealed class Options
    {
        public int Port { get; set; }
        public string Host { get; set; } = "127.0.0.1";
    }

    public static IServiceCollection AddSiloHealth(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<Options>().Bind(configuration.GetSection(Section));
        services.AddHealthChecks()
            .AddCheck<ClusterMembershipCheck>("cluster", tags: [ReadyTag])
            .AddCheck<StorageReachableCheck>("storage", tags: [ReadyTag])
            .AddRoleHealthChecks();
        if ((configuration.GetSection(Section).Get<Options>() ?? new()).Port > 0)
        {
            services.AddHostedService<Endpoint>();
        }
        return services;
    }

    private sealed class Endpoint(HealthCheckService health, IOptions<Options> options, ILogger<Endpoint> logger) : BackgroundService
    {
        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            using var listener = new HttpListener();
            listener.Prefixes.Add($"http://{options.Value.Host}:{options.Value.Port}/healthz/");
            listener.Start();
            logger.LogInformation("Health endpoints on http://{Host}:{Port}/healthz/live and /healthz/ready", options.Value.Host, options.Value.Port);
            using var stop = stoppingToken.Register(listener.Stop);
            while (!stoppingToken.IsCancellationRequested)
            {
                HttpListenerContext context;
                try
                {
                    context = await listener.GetContextAsync();
                }
                catch (Exception) when (stoppingToken.IsCancellationRequested)
                {
                    return;
                }
                _ = AnswerAsync(context, stoppingToken);
            }
        }

        private async Task AnswerAsync(HttpListenerContext context, CancellationToken ct)
        {
            using var response = context.Response;
            try
            {
                var path = context.Request.Url?.AbsolutePath.TrimEnd('/');
                if (path is not ("/healthz/live" or "/healthz/ready"))
                {
                    response.StatusCode = 404;
                    return;
                }
                // Live: the process answers. Ready: every check tagged "ready" passes.
                var report = await health.CheckHealthAsync(
                    path.EndsWith("/ready", StringComparison.Ordinal) ? r => r.Tags.Contains(ReadyTag) : _ => false, ct);
                response.StatusCode = report.Status == HealthStatus.Unhealthy ? 503 : 200;
                response.ContentType = "text/plain; charset=utf-8";
                var text = new StringBuilder(report.Status.ToString());
                foreach (var (name, entry) in report.Entries.Where(e => e.Value.Status != HealthStatus.Healthy))
                {
                    text.Append('\n').Append(name).Append(": ").Append(entry.Description);
                }
                var bytes = Encoding.UTF8.GetBytes(text.ToString());
                await response.OutputStream.WriteAsync(bytes, ct);
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or OperationCanceledException)
            {
                // The prober went away or the silo is stopping.
            }
        }
    }
}
