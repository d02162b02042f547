using Orleans.Hosting;

namespace Enrichment.Silo.Hosting;

/// <summary>
/// Orleans on Kubernetes (Microsoft.Orleans.Hosting.Kubernetes), only where Cluster:Kubernetes is true: deploy/k8s
/// sets it; everywhere else the silo is exactly what it was. The silo takes its pod's name (POD_NAME, POD_NAMESPACE
/// from the downward API) and the silos watch the pods labelled orleans/serviceId and orleans/clusterId with this
/// cluster's ids: a deleted pod's silo is declared dead at once instead of after missed probes. Membership stays in
/// PostgreSQL (ADO.NET clustering), and the address other silos dial stays Cluster:AdvertisedAddress (the pod IP in
/// the manifests): the package fills in an advertised address only where nothing set one.
/// </summary>
public static class KubernetesSiloHosting
{
    public static ISiloBuilder UseKubernetesHostingWhenConfigured(this ISiloBuilder silo, SiloHostOptions options) =>
        options.Kubernetes
            // A silo the cluster declared dead may be a process that hangs but still answers its liveness probe:
            // deleting its pod lets the Deployment replace it (the Role grants "delete" for this alone).
            ? silo.UseKubernetesHosting(kubernetes => kubernetes.Configure(o => o.DeleteDefunctSiloPods = true))
            : silo;
}
