using Enrichment.Grains;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Enrichment.Silo.Hosting;

/// <summary>
/// What this build of the silo runs, chosen at build time by the MSBuild property <c>SiloRole</c>: <c>All</c> (the
/// default: products, model serving and training) or <c>Products</c> (products only, built without the serving and
/// training projects, so its output carries no TorchSharp or libtorch). The model parts live in ModelServing/, which
/// the products build does not compile; these partial methods are where they plug in (unimplemented, a call is
/// removed by the compiler).
/// </summary>
public static partial class SiloRole
{
    public static bool ServesModels
    {
        get
        {
            var serves = false;
            ModelServing(ref serves);
            return serves;
        }
    }

    public static string Name => ServesModels ? "all" : "products";

    /// <summary>The grains this build runs, over storage and clustering already configured.</summary>
    public static ISiloBuilder AddRoleGrains(this ISiloBuilder silo, SiloHostOptions options, IConfiguration configuration)
    {
        silo.AddCatalogGrains(configuration);
        AddModelGrains(silo, options, configuration);
        return silo;
    }

    public static IHealthChecksBuilder AddRoleHealthChecks(this IHealthChecksBuilder checks)
    {
        AddModelHealthChecks(checks);
        return checks;
    }

    public static IServiceCollection AddRoleOptionsValidation(this IServiceCollection services)
    {
        AddModelOptionsValidation(services);
        return services;
    }

    /// <summary>Problems with the options of this build's roles; a products build refuses the model switches.</summary>
    public static IEnumerable<string> Problems(IConfiguration configuration, SiloHostOptions host)
    {
        var problems = new List<string>();
        if (!ServesModels)
        {
            if (!string.IsNullOrWhiteSpace(host.Accelerator))
            {
                problems.Add("--accelerator (Cluster:Accelerator): this silo is the products-only build (SiloRole=Products) and " +
                             "serves no models; run the model silo build (the default) on accelerator machines");
            }
            if (!string.IsNullOrWhiteSpace(configuration[ModelCheckpointKey]))
            {
                problems.Add($"--model ({ModelCheckpointKey}): this silo is the products-only build (SiloRole=Products) and loads no model");
            }
        }
        ModelProblems(configuration, problems);
        return problems;
    }

    public const string ModelCheckpointKey = "Enrichment:Models:BootstrapCheckpoint";

    static partial void ModelServing(ref bool serves);

    static partial void AddModelGrains(ISiloBuilder silo, SiloHostOptions options, IConfiguration configuration);

    static partial void AddModelHealthChecks(IHealthChecksBuilder checks);

    static partial void AddModelOptionsValidation(IServiceCollection services);

    static partial void ModelProblems(IConfiguration configuration, List<string> problems);
}
