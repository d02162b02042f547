using Enrichment.Client.Api;
using Orleans.Dashboard;

namespace Enrichment.Client.Hosting;

/// <summary>The Orleans Dashboard's pages and data, served by the client under <see cref="Path"/>, admin only.</summary>
public static class ClusterDashboard
{
    public const string Path = "/dashboard";

    public static void MapClusterDashboard(this WebApplication app) =>
        app.MapOrleansDashboard(Path)
            .AddEndpointFilter<DashboardAccessFilter>()
            // Orleans' own endpoints, not this API's: the OpenAPI document describes ours.
            .ExcludeFromDescription();
}
