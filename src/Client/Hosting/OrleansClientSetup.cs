using Enrichment.Abstractions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.Dashboard;

namespace Enrichment.Client.Hosting;

public static class OrleansClientSetup
{
    public static IClientBuilder ConfigureEnrichmentClient(this IClientBuilder client, ClusterClientOptions options)
    {
        client.Configure<ClusterOptions>(o =>
        {
            o.ClusterId = options.ClusterId;
            o.ServiceId = options.ServiceId;
        });
        if (options.UsesPostgres)
        {
            client.UseAdoNetClustering(o =>
            {
                o.Invariant = ClusterConnectionOptions.AdoNetInvariant;
                o.ConnectionString = new Npgsql.NpgsqlConnectionStringBuilder(options.Postgres) { MaxPoolSize = options.PostgresPoolSize }.ConnectionString;
            });
        }
        else
        {
            client.UseLocalhostClustering(options.EffectiveGatewayPorts, options.ServiceId, options.ClusterId);
        }

        if (options.Dashboard)
        {
            // The dashboard's pages run here (at /dashboard, behind the admin token); the silos carry its grains.
            client.AddDashboard(o => o.HideTrace = true);
        }

        var deadline = DateTime.UtcNow + options.ConnectTimeout;
        client.UseConnectionRetryFilter(async (exception, ct) =>
        {
            if (DateTime.UtcNow > deadline)
            {
                return false;
            }
            await Task.Delay(TimeSpan.FromSeconds(1), ct);
            return true;
        });
        return client;
    }
}
