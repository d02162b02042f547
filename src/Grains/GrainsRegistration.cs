using Enrichment.Grains.Ingest;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Enrichment.Grains;

public static class GrainsRegistration
{
    /// <summary>Services the catalogue grains depend on; storage and clustering are the host's choice.</summary>
    public static ISiloBuilder AddEnrichmentGrains(this ISiloBuilder silo, IConfiguration configuration)
    {
        silo.Services.Configure<RejectedEventsOptions>(configuration.GetSection("Enrichment:RejectedEvents"));
        return silo;
    }
}
