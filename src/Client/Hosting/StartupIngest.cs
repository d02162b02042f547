using Enrichment.Client.Ingest;

namespace Enrichment.Client.Hosting;

/// <summary>What `serve` ingests once the cluster is reachable (the demo's bundled catalogue).</summary>
public sealed record StartupIngestOptions(string? CatalogCsv, string? ImagesDir, string? Ndjson);

/// <summary>Ingests in the background so queries are served while the catalogue loads.</summary>
public sealed class StartupIngestService(
    StartupIngestOptions options, CatalogIngestor ingestor, ILogger<StartupIngestService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var sources = IngestSources.From(options.CatalogCsv, options.ImagesDir, options.Ndjson, version: null);
        if (sources is null)
        {
            return;
        }
        logger.LogInformation("Ingesting {Source}", sources.Description);
        var started = DateTime.UtcNow;
        var tally = await ingestor.IngestAsync(sources.Events(stoppingToken), ct: stoppingToken);
        logger.LogInformation("Ingested {Source} in {Seconds:F1}s: {Tally}", sources.Description, (DateTime.UtcNow - started).TotalSeconds, tally.ToString());
    }
}
