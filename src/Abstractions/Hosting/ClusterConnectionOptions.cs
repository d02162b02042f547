namespace Enrichment.Abstractions.Hosting;

/// <summary>
/// How a process finds its cluster, the part silo and client share: both bind it from the "Cluster" section
/// (appsettings, env ENRICHMENT_Cluster__*, switches), so the two can never read different keys.
/// </summary>
public abstract class ClusterConnectionOptions
{
    public const string Section = "Cluster";

    /// <summary>The ADO.NET provider name Orleans' clustering and storage use for PostgreSQL.</summary>
    public const string AdoNetInvariant = "Npgsql";

    /// <summary>PostgreSQL connection string. Empty selects the embedded default: localhost clustering, in-memory storage.</summary>
    public string? Postgres { get; set; }

    public string ClusterId { get; set; } = "enrichment";
    public string ServiceId { get; set; } = "enrichment";

    /// <summary>
    /// The Orleans Dashboard (grain and silo statistics, served by the client at /dashboard behind the admin token).
    /// Silos and client must agree: the client's pages read the silos' dashboard grains. Off removes the per-call
    /// profiling filter the dashboard adds to every grain call on the silos.
    /// </summary>
    public bool Dashboard { get; set; } = true;

    public bool UsesPostgres => !string.IsNullOrWhiteSpace(Postgres);
}
