using Enrichment.Grains;
using Enrichment.Grains.Serving;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Enrichment.Silo.Hosting;

/// <summary>The model-serving and training half of <see cref="SiloRole"/>: compiled only into the default (All) build.</summary>
public static partial class SiloRole
{
    static partial void ModelServing(ref bool serves) => serves = true;

    static partial void AddModelGrains(ISiloBuilder silo, SiloHostOptions options, IConfiguration configuration)
    {
        silo.AddModelServing(configuration).AddModelTraining(configuration);
        if (!string.IsNullOrWhiteSpace(options.Accelerator))
        {
            silo.UseAcceleratorAsModelDevice(options.Accelerator.Trim().ToLowerInvariant());
        }
    }

    static partial void AddModelHealthChecks(IHealthChecksBuilder checks) =>
        checks.AddCheck<ModelLoadedCheck>("model", tags: [SiloHealth.ReadyTag]);

    static partial void AddModelOptionsValidation(IServiceCollection services)
    {
        services.AddOptions<ModelHostOptions>().ValidateOnStart();
        services.AddSingleton<IValidateOptions<ModelHostOptions>, ModelHostRules>();
    }

    static partial void ModelProblems(IConfiguration configuration, List<string> problems) =>
        problems.AddRange(new ModelHostRules().Check(configuration.GetSection(ModelHostOptions.Section).Get<ModelHostOptions>() ?? new()));
}
