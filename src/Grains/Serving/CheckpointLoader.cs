using Enrichment.Models;
using Microsoft.Extensions.Options;

namespace Enrichment.Grains.Serving;

/// <summary>
/// Turns a downloaded, verified checkpoint into a servable model. A seam of its own because loading is where a model
/// silo can stall for long (a large checkpoint, a busy or failing device); the host's swap and the deployment's
/// bound are written against it, and a test stands in a load that does not finish.
/// </summary>
public interface ICheckpointLoader
{
    Task<EnrichmentModel> LoadAsync(string checkpointDir, CancellationToken ct);
}

/// <summary>Loads on the configured device, off the caller's (possibly Orleans) scheduler: seconds of CPU work.</summary>
public sealed class TorchCheckpointLoader(IOptions<ModelHostOptions> options) : ICheckpointLoader
{
    public Task<EnrichmentModel> LoadAsync(string checkpointDir, CancellationToken ct) => Task.Run(() =>
    {
        TorchRuntime.Initialize(options.Value.IntraOpThreads);
        return EnrichmentModel.Load(checkpointDir, options.Value.Device);
    }, ct);
}
