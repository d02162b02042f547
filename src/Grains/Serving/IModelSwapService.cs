using Enrichment.Abstractions;
using Orleans.Services;

namespace Enrichment.Grains.Serving;

/// <summary>One per silo: the handle through which a deployment reaches this silo's model host.</summary>
[Alias("Enrichment.IModelSwapService")]
public interface IModelSwapService : IGrainService
{
    [Alias("SwapTo")] Task<SiloModelStatus> SwapTo(ModelVersionInfo version);
    [Alias("GetStatus")] Task<SiloModelStatus> GetStatus();
}
