using Enrichment.Grains.Training;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Enrichment.Grains;

public static class TrainingRegistration
{
    /// <summary>Retraining on top of <see cref="ServingRegistration.AddModelServing"/>: the training runner and its options.</summary>
    public static ISiloBuilder AddModelTraining(this ISiloBuilder silo, IConfiguration configuration)
    {
        silo.Services.AddOptions<TrainingOptions>()
            .Bind(configuration.GetSection(TrainingOptions.Section))
            .ValidateDataAnnotations()
            .Validate(o => o.IsValid, $"{TrainingOptions.Section}: LostAfter must be more than three ReportIntervals")
            .ValidateOnStart();
        silo.Services.AddSingleton<TrainingRunner>();
        return silo;
    }

    /// <summary>Everything a silo can run: catalogue, model serving and training (the embedded default, and tests).</summary>
    public static ISiloBuilder AddEnrichmentGrains(this ISiloBuilder silo, IConfiguration configuration) =>
        silo.AddCatalogGrains(configuration).AddModelServing(configuration).AddModelTraining(configuration);
}
