namespace Enrichment.Persistence;

/// <summary>
/// The default connection budget of each process, and what PostgreSQL's max_connections must cover: every silo
/// holds at most <see cref="SiloPool"/> + <see cref="SiloQueuePool"/> + <see cref="SiloCatalogPool"/>, every client
/// <see cref="ClientPool"/>.
/// </summary>
public static class PostgresBudget
{
    /// <summary>Orleans' own providers: membership, and the grain state of registry, deployments and training (products have their own store).</summary>
    public const int SiloPool = 8;
    public const int SiloQueuePool = 4;
    /// <summary>Products (one write per change, one read per activation), photos, the searches this silo answers and the rejection log.</summary>
    public const int SiloCatalogPool = 20;
    public const int ClientPool = 4;

    /// <summary>Headroom for superuser and maintenance sessions (PostgreSQL reserves 3 by default) and psql.</summary>
    public const int Headroom = 10;

    /// <summary>The smallest max_connections that serves <paramref name="silos"/> silos and <paramref name="clients"/> clients at default pools.</summary>
    public static int MaxConnectionsFor(int silos, int clients) =>
        silos * (SiloPool + SiloQueuePool + SiloCatalogPool) + clients * ClientPool + Headroom;
}
