using Enrichment.Grains.Placement;
using Enrichment.Abstractions.Diagnostics;
using Enrichment.Abstractions;
using Enrichment.Grains.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using Orleans.Runtime.MembershipService.SiloMetadata;
using Orleans.Runtime.Services;
using Orleans.Services;

namespace Enrichment.Grains.Serving;

/// <summary>
/// The one place that decides which version this silo serves (and the only one that reads the registry for it): on request (a deployment), and on its own every
/// <see cref="ModelHostOptions.ReconcileInterval"/>, starting at once, so a silo that joins late or missed a
/// deployment converges on the registry. While the cluster has no model at all, the same loop publishes the
/// bootstrap checkpoint, claimed through the registry so only one silo in the cluster uploads it. Requests never
/// trigger any of this.
/// </summary>
[Reentrant]
public sealed class ModelSwapService(
    GrainId id, Silo silo, ILoggerFactory loggerFactory, ModelHost host, IOptions<SiloMetadata> metadata,
    IOptions<ModelHostOptions> options, IGrainFactory grains)
    : GrainService(id, silo, loggerFactory), IModelSwapService
{
    private static readonly TimeSpan BootstrapLease = TimeSpan.FromMinutes(5);
    private readonly ILogger _logger = loggerFactory.CreateLogger<ModelSwapService>();
    private readonly RepeatedFailureLog _failures = new(loggerFactory.CreateLogger<ModelSwapService>(), TimeSpan.FromMinutes(1));
    private bool HasAccelerator => metadata.Value.Metadata.ContainsKey(AcceleratorPlacementFilterDirector.MetadataKey);

    public async Task<SiloModelStatus> SwapTo(ModelVersionInfo version)
    {
        if (!HasAccelerator)
        {
            return Describe(null);
        }
        try
        {
            await SwapAsync(version, CancellationToken.None);
            return Describe(null);
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "Swap to {ModelVersion} failed", version.VersionId);
            return Describe(ex.Message);
        }
    }

    public Task<SiloModelStatus> GetStatus() => Task.FromResult(Describe(null));

    protected override Task StartInBackground()
    {
        if (HasAccelerator)
        {
            _ = Task.Run(ReconcileLoopAsync);
        }
        return Task.CompletedTask;
    }

    private async Task ReconcileLoopAsync()
    {
        var stopping = StoppedCancellationTokenSource.Token;
        var clusterHasModel = false;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                // The startup step, repeated only until the cluster has a model (a failed upload is retried here).
                clusterHasModel = clusterHasModel || await EnsureClusterHasModelAsync(stopping);
                await ReconcileAsync(stopping);
            }
            catch (Exception ex) when (!stopping.IsCancellationRequested)
            {
                _failures.Report("Model reconciliation", ex);
            }
            try
            {
                await Task.Delay(options.Value.ReconcileInterval, stopping);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task ReconcileAsync(CancellationToken ct)
    {
        var current = await grains.GetGrain<IModelRegistryGrain>(0).GetCurrent();
        if (current is not null && current.VersionId == host.CurrentVersion)
        {
            // Same weights; the registry may know more about them now (thresholds measured after the swap).
            host.Refresh(current);
        }
        else if (current is not null)
        {
            _logger.LogInformation("Reconciling: cluster serves {ModelVersion}, this silo {LocalVersion}", current.VersionId, host.CurrentVersion ?? "none");
            await SwapAsync(current, ct);
        }
    }

    /// <summary>Downloads (SHA-256-checked, cached) and hands the checkpoint to the local model host.</summary>
    private async Task SwapAsync(ModelVersionInfo version, CancellationToken ct)
    {
        if (host.CurrentVersion == version.VersionId)
        {
            return;
        }
        var dir = await new ModelWeightsStore(grains).DownloadAsync(version, options.Value.CacheDirectory, ct);
        await host.SwapToAsync(version, dir, ct);
    }

    /// <summary>
    /// True once the cluster serves some version. While it has none, this silo publishes its bootstrap checkpoint if it
    /// wins the registry's claim (one claimant per cluster; the others find the version on a later pass).
    /// </summary>
    private async Task<bool> EnsureClusterHasModelAsync(CancellationToken ct)
    {
        var registry = grains.GetGrain<IModelRegistryGrain>(0);
        if (await registry.GetCurrent() is not null)
        {
            return true;
        }
        var checkpoint = options.Value.BootstrapCheckpoint;
        if (string.IsNullOrWhiteSpace(checkpoint) || !await registry.TryClaimBootstrap(Silo.ToString(), BootstrapLease))
        {
            return false;
        }
        _logger.LogInformation("No model in the cluster yet; publishing bootstrap checkpoint {Checkpoint}", checkpoint);
        var version = await new ModelWeightsStore(grains).UploadAsync(checkpoint, "bootstrap", ct);
        await registry.PublishBootstrap(version);
        return true;
    }

    private SiloModelStatus Describe(string? error) => new(Silo.ToString(), HasAccelerator, host.CurrentVersion, error);
}
