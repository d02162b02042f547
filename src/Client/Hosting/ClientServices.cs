using Enrichment.Client.Ingest;
using Microsoft.Extensions.Options;

namespace Enrichment.Client.Hosting;

public static class ClientServices
{
    /// <summary>Configuration sources in precedence order, lowest first, then the Orleans client and ingest services.</summary>
    public static void AddEnrichmentClient(this IHostApplicationBuilder builder, IDictionary<string, string?> commandLine)
    {
        builder.Configuration.AddEnvironmentVariables("ENRICHMENT_");
        builder.Configuration.AddInMemoryCollection(commandLine);
        var cluster = builder.Configuration.GetSection(ClusterClientOptions.Section).Get<ClusterClientOptions>() ?? new();
        builder.Services.AddSingleton(cluster);
        builder.UseOrleansClient(client => client.ConfigureEnrichmentClient(cluster));
        builder.Services.AddOptions<IngestOptions>().Bind(builder.Configuration.GetSection(IngestOptions.Section)).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<IngestOptions>, IngestOptionsValidator>();
        builder.Services.AddSingleton<CatalogIngestor>();
        ClientMetrics.AddTo(builder.Services);
    }
}
