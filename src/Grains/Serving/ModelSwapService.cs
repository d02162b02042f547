using Enrichment.Abstractions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using Orleans.Runtime.MembershipService.SiloMetadata;
using Orleans.Runtime.Services;
using Orleans.Services;

namespace Enrichment.Grains.Serving;

/// <summary>One per silo: the handle through which a deployment reaches this silo's model host.</summary>
public interface IModelSwapService : IGrainService
{
    Task<SiloModelStatus> SwapTo(ModelVersionInfo version);
    Task<SiloModelStatus> GetStatus();
}

/// <summary>
/// Swaps on request, and on its own: at start (a silo that joins late pulls the current version at once) and
/// every <see cref="ModelHostOptions.ReconcileInterval"/>, so a silo that missed a deployment catches up.
/// </summary>
[Reentrant]
public sealed class ModelSwapService(
    GrainId id, Silo silo, ILoggerFactory loggerFactory, ModelHost host, IOptions<SiloMetadata> metadata,
    IOptions<ModelHostOptions> options, IGrainFactory grains)
    : GrainService(id, silo, loggerFactory), IModelSwapService
{
    private readonly ILogger _logger = loggerFactory.CreateLogger<ModelSwapService>();
    private bool HasAccelerator => metadata.Value.Metadata.ContainsKey(AcceleratorPlacementFilterDirector.MetadataKey);

    public async Task<SiloModelStatus> SwapTo(ModelVersionInfo version)
    {
        if (!HasAccelerator)
        {
            return Describe(null);
        }
        try
        {
            await host.SwapToAsync(version);
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
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                var current = await grains.GetGrain<IModelRegistryGrain>(0).GetCurrent();
                if (current is not null && current.VersionId != host.CurrentVersion)
                {
                    _logger.LogInformation("Reconciling: cluster serves {ModelVersion}, this silo {LocalVersion}", current.VersionId, host.CurrentVersion ?? "none");
                    await host.SwapToAsync(current, stopping);
                }
            }
            catch (Exception ex) when (!stopping.IsCancellationRequested)
            {
                _logger.LogWarning(ex, "Model reconciliation failed; retrying");
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

    private SiloModelStatus Describe(string? error) => new(Silo.ToString(), HasAccelerator, host.CurrentVersion, error);
}

public interface IModelSwapClient
{
    Task<SiloModelStatus[]> SwapEverywhere(ModelVersionInfo version);
    Task<SiloModelStatus[]> StatusEverywhere();
}

public sealed class ModelSwapClient(IServiceProvider services, IGrainFactory grains)
    : GrainServiceClient<IModelSwapService>(services), IModelSwapClient
{
    public Task<SiloModelStatus[]> SwapEverywhere(ModelVersionInfo version) => OnEverySilo(s => s.SwapTo(version));

    public Task<SiloModelStatus[]> StatusEverywhere() => OnEverySilo(s => s.GetStatus());

    private async Task<SiloModelStatus[]> OnEverySilo(Func<IModelSwapService, Task<SiloModelStatus>> call)
    {
        var hosts = await grains.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true);
        return await Task.WhenAll(hosts.Keys.Select(async silo =>
        {
            try
            {
                return await call(GetGrainService(silo));
            }
            catch (Exception ex)
            {
                return new SiloModelStatus(silo.ToString(), false, null, ex.GetBaseException().Message);
            }
        }));
    }
}
