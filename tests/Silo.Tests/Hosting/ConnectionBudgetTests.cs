using Enrichment.Persistence;
using Enrichment.Silo.Hosting;
using Microsoft.Extensions.Configuration;
using Npgsql;

namespace Enrichment.Silo.Tests.Hosting;

[Trait("Category", "Unit")]
public sealed class ConnectionBudgetTests
{
    [Fact]
    public void A_silo_states_its_pool_sizes_and_configuration_can_change_them()
    {
        var defaults = new SiloHostOptions { Postgres = "Host=db;Username=u;Password=p;Database=d" };
        Assert.Equal(PostgresBudget.SiloPool, new NpgsqlConnectionStringBuilder(defaults.Storage.PooledPostgres).MaxPoolSize);
        Assert.Equal(PostgresBudget.SiloQueuePool, defaults.Storage.QueueMaxPoolSize);
        Assert.Equal(PostgresBudget.SiloCatalogPool, defaults.Storage.CatalogMaxPoolSize);

        var configured = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Cluster:Postgres"] = "Host=db;Username=u;Password=p;Database=d;Maximum Pool Size=100",
            ["Cluster:PostgresPoolSize"] = "7",
            ["Cluster:QueuePoolSize"] = "2",
            ["Cluster:CatalogPoolSize"] = "3",
        }).Build().GetSection(SiloHostOptions.Section).Get<SiloHostOptions>()!;
        var pooled = new NpgsqlConnectionStringBuilder(configured.Storage.PooledPostgres);
        Assert.Equal(7, pooled.MaxPoolSize);
        Assert.Equal(("db", "d"), (pooled.Host, pooled.Database));
        Assert.Equal(2, configured.Storage.QueueMaxPoolSize);
        Assert.Equal(3, configured.Storage.CatalogMaxPoolSize);
    }

    [Fact]
    public void The_budget_of_a_cluster_is_its_silos_and_clients_pools_plus_headroom() =>
        Assert.Equal(2 * (20 + 4 + 8) + 4 + 10, PostgresBudget.MaxConnectionsFor(silos: 2, clients: 1));
}
