using Enrichment.Grains.Queue;
using Enrichment.Grains.Serving;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Enrichment.Grains;

public static class ServingRegistration
{
    /// <summary>
    /// Model serving on top of <see cref="CatalogRegistration.AddCatalogGrains"/>: the model host and its grains, the
    /// enrichment pump (which claims work only while a model is loaded, so a silo without an accelerator carries it
    /// idle), deployment and hot swap.
    /// </summary>
    public static ISiloBuilder AddModelServing(this ISiloBuilder silo, IConfiguration configuration)
    {
        silo.Services.Configure<ModelHostOptions>(configuration.GetSection(ModelHostOptions.Section));
        silo.Services.Configure<DeploymentOptions>(configuration.GetSection(DeploymentOptions.Section));
        silo.Services.AddSingleton<ICheckpointLoader, TorchCheckpointLoader>();
        silo.Services.AddSingleton<ModelHost>();
        silo.Services.AddSingleton<ClaimedPhotos>();
        silo.AddGrainService<ModelSwapService>();
        silo.Services.AddSingleton<IModelSwapClient, ModelSwapClient>();
        silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, EnrichmentPump>();
        return silo;
    }

    /// <summary>The device the model host asks for is the silo's declared accelerator, unless configured otherwise.</summary>
    public static ISiloBuilder UseAcceleratorAsModelDevice(this ISiloBuilder silo, string accelerator)
    {
        silo.Services.PostConfigure<ModelHostOptions>(o => o.Device ??= accelerator);
        return silo;
    }
}
