using Enrichment.Abstractions;
using Enrichment.Client.Ingest;

namespace Enrichment.Client.Hosting;

/// <summary>What `serve` was told to ingest (the demo's bundled catalogue), ingested in the background so queries are served while the catalogue loads.</summary>
public sealed class StartupIngestService(
    IngestSources sources, CatalogIngestor ingestor, IClusterClient cluster, ILogger<StartupIngestService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        logger.LogInformation("Ingesting {Source}", sources.Description);
        var started = DateTime.UtcNow;
        var tally = await ingestor.IngestAsync(sources, ct: stoppingToken);
        logger.LogInformation("Ingested {Source} in {Seconds:F1}s: {Tally}", sources.Description, (DateTime.UtcNow - started).TotalSeconds, tally.ToString());
        await ScoreServedModelAsync();
    }

    /// <summary>
    /// The catalogue is in: the served model (the demo's bundled one) gets its evaluation-set score now, so the console
    /// compares every later candidate with a score it shows, not one first computed by the candidate's job.
    /// </summary>
    private async Task ScoreServedModelAsync()
    {
        try
        {
            if (await cluster.GetGrain<IModelRegistryGrain>(0).GetCurrent() is { Evaluation: null } served)
            {
                await cluster.GetGrain<ITrainingGrain>(0).Evaluate(served.VersionId);
            }
        }
        catch (Exception ex)
        {
            // No model silo yet: the first retraining scores it instead.
            logger.LogInformation("The served model was not scored after ingest: {Error}", ex.GetBaseException().Message);
        }
    }
}
