using Enrichment.Client.Ingest;

namespace Enrichment.Client.Hosting;

/// <summary>What `serve` was told to ingest (the demo's bundled catalogue), ingested in the background so queries are served while the catalogue loads.</summary>
public sealed class StartupIngestService(
    IngestSources sources, CatalogIngestor ingestor, ILogger<StartupIngestService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        logger.LogInformation("Ingesting {Source}", sources.Description);
        var started = DateTime.UtcNow;
        var tally = await ingestor.IngestAsync(sources.Events(stoppingToken), ct: stoppingToken);
        logger.LogInformation("Ingested {Source} in {Seconds:F1}s: {Tally}", sources.Description, (DateTime.UtcNow - started).TotalSeconds, tally.ToString());
    }
}
