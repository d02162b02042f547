using Enrichment.Silo.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orleans.Hosting.Kubernetes;

namespace Enrichment.Deploy.Tests;

/// <summary>Orleans' Kubernetes hosting in the silo: present only where Cluster:Kubernetes says so, and only with PostgreSQL.</summary>
[Trait("Category", "Unit")]
public sealed class KubernetesSiloHostingTests
{
    private const string Postgres = "Host=127.0.0.1;Port=5432;Username=postgres;Database=enrichment";

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void The_pod_watching_agent_joins_the_silo_only_when_configured(bool kubernetes)
    {
        var builder = Host.CreateApplicationBuilder();
        var options = new SiloHostOptions { Postgres = Postgres, Kubernetes = kubernetes };
        builder.UseOrleans(silo => silo.UseEnrichmentClustering(options).UseKubernetesHostingWhenConfigured(options));

        var agents = builder.Services.Count(d => d.ImplementationType == typeof(KubernetesClusterAgent));
        Assert.Equal(kubernetes ? 1 : 0, agents);
        if (kubernetes)
        {
            // What the Role's "delete" verb is for: the pod of a silo the cluster declared dead is replaced.
            using var services = builder.Services.BuildServiceProvider();
            var hosting = new KubernetesHostingOptions();
            foreach (var configure in services.GetServices<IConfigureOptions<KubernetesHostingOptions>>())
            {
                configure.Configure(hosting);
            }
            Assert.True(hosting.DeleteDefunctSiloPods);
        }
    }

    [Fact]
    public void A_kubernetes_silo_without_postgres_is_refused_before_it_starts()
    {
        static IReadOnlyList<string> Problems(params (string Key, string Value)[] settings) => SiloOptionsValidation.Problems(
            new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value))).Build());

        Assert.Contains(Problems(("Cluster:Kubernetes", "true")), p => p.StartsWith("Cluster:Kubernetes needs Cluster:Postgres", StringComparison.Ordinal));
        Assert.Empty(Problems(("Cluster:Kubernetes", "true"), ("Cluster:Postgres", Postgres)));
        Assert.Empty(Problems(("Cluster:Kubernetes", "false")));
    }
}
