using Enrichment.Abstractions;
using Microsoft.Extensions.Options;
using Enrichment.Grains.Placement;
using Orleans.Runtime.MembershipService.SiloMetadata;
using Orleans.Runtime.Services;

namespace Enrichment.Grains.Serving;

public interface IModelSwapClient
{
    Task<SiloModelStatus[]> SwapEverywhere(ModelVersionInfo version);
    Task<SiloModelStatus[]> StatusEverywhere();
}

/// <summary>
/// Calls every active silo's <see cref="IModelSwapService"/> at once. Each call has its own bound: a silo that died
/// but is not yet declared dead is reported unreachable instead of holding the whole answer hostage.
/// </summary>
public sealed class ModelSwapClient(IServiceProvider services, IGrainFactory grains, ISiloMetadataCache metadata, IOptions<DeploymentOptions> options)
    : GrainServiceClient<IModelSwapService>(services), IModelSwapClient
{
    public Task<SiloModelStatus[]> SwapEverywhere(ModelVersionInfo version) =>
        OnEverySilo(s => s.SwapTo(version), options.Value.SwapTimeout);

    public Task<SiloModelStatus[]> StatusEverywhere() => OnEverySilo(s => s.GetStatus(), options.Value.StatusTimeout);

    private async Task<SiloModelStatus[]> OnEverySilo(Func<IModelSwapService, Task<SiloModelStatus>> call, TimeSpan timeout)
    {
        var hosts = await grains.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true);
        return await Task.WhenAll(hosts.Keys.Select(async silo =>
        {
            if (!ServesModels(silo))
            {
                return new SiloModelStatus(silo.ToString(), false, null, null);
            }
            try
            {
                return await call(GetGrainService(silo)).WaitAsync(timeout);
            }
            catch (TimeoutException)
            {
                return new SiloModelStatus(silo.ToString(), false, null, $"unreachable: no answer within {timeout.TotalSeconds:0.#} s");
            }
            catch (Exception ex)
            {
                return new SiloModelStatus(silo.ToString(), false, null, "unreachable: " + ex.GetBaseException().Message);
            }
        }));
    }

    private bool ServesModels(SiloAddress silo) =>
        !(metadata.GetSiloMetadata(silo).Metadata.TryGetValue(ModelServingMetadata.Key, out var models) && models == ModelServingMetadata.None);
}
