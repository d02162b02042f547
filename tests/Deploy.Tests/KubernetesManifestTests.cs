using System.Net;
using System.Text.RegularExpressions;
using Enrichment.Client.Hosting;
using Enrichment.Grains.Serving;
using Enrichment.Silo.Hosting;
using Enrichment.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Orleans.Hosting.Kubernetes;
using YamlDotNet.RepresentationModel;

namespace Enrichment.Deploy.Tests;

/// <summary>
/// deploy/k8s cannot be applied on a machine without a Kubernetes cluster, so every overlay is rendered with
/// `kubectl kustomize` and checked for what Orleans and the two hosts need: the pod fields and labels that
/// Microsoft.Orleans.Hosting.Kubernetes reads, the RBAC it asks for, probes on endpoints the apps serve, configuration
/// that binds to real options and that the silo's own rules accept, GPUs only where models run, images the
/// repository builds, rolling updates that keep every silo, and disruption budgets.
/// </summary>
[Trait("Category", "Processes")]
public sealed class KubernetesManifestTests
{
    private static readonly string[] SiloDeployments = ["products-silo", "model-silo"];
    private const string ClientDeployment = "client";
    private const string Gpu = "nvidia.com/gpu";

    /// <summary>Secrets the operator creates (README, "Kubernetes"), with the keys the manifests read.</summary>
    private static readonly Dictionary<string, string[]> OperatorSecrets = new()
    {
        ["enrichment-postgres"] = ["connection-string"],
        ["enrichment-object-store"] = ["endpoint", "bucket", "access-key", "secret-key"],
        ["enrichment-client"] = ["ingest-token", "admin-token"],
    };

    /// <summary>What Microsoft.Orleans.Hosting.Kubernetes calls on pods: ReadNamespacedPod, PatchNamespacedPod (its labels),
    /// ListNamespacedPod, WatchListNamespacedPod, and DeleteNamespacedPod (DeleteDefunctSiloPods, which the silo sets).</summary>
    private static readonly string[] PodVerbs = ["get", "patch", "list", "watch", "delete"];

    public static TheoryData<string> Overlays => new(Kustomization.Overlays());

    [Fact]
    public void There_is_a_cpu_and_a_gpu_overlay()
    {
        Assert.Subset(Kustomization.Overlays().ToHashSet(), new HashSet<string> { "cpu", "gpu" });
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Every_overlay_deploys_both_silo_kinds_and_the_client_into_one_namespace(string overlay)
    {
        var k8s = Kustomization.Render(overlay);
        foreach (var name in SiloDeployments.Append(ClientDeployment))
        {
            k8s.Single("Deployment", name);
        }
        var service = k8s.Single("Service", ClientDeployment);
        var namespaces = k8s.Resources.Where(r => ComposeFile.Scalar(r, "kind") != "Namespace").Select(Kustomization.Namespace).Distinct().ToList();
        var single = Assert.Single(namespaces);
        Assert.False(string.IsNullOrEmpty(single), $"{overlay}: resources without a namespace land in whatever namespace kubectl points at");
        Assert.Contains(k8s.OfKind("Namespace"), n => Kustomization.Name(n) == single);
        Assert.Equal(Kustomization.PodLabels(k8s.Single("Deployment", ClientDeployment)).GetValueOrDefault("app.kubernetes.io/name"),
            Kustomization.Map(ComposeFile.Child(service, "spec", "selector")).GetValueOrDefault("app.kubernetes.io/name"));
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Silo_pods_carry_the_cluster_labels_that_the_silos_watch_and_the_client_does_not(string overlay)
    {
        var k8s = Kustomization.Render(overlay);
        foreach (var name in SiloDeployments)
        {
            var silo = k8s.Single("Deployment", name);
            var options = SiloOptions(k8s, silo);
            var labels = Kustomization.PodLabels(silo);
            Assert.True(options.Kubernetes, $"{overlay}/{name}: Cluster:Kubernetes is not true, so the silo ignores its pod");
            Assert.Equal(options.ServiceId, labels.GetValueOrDefault(KubernetesHostingOptions.ServiceIdLabel));
            Assert.Equal(options.ClusterId, labels.GetValueOrDefault(KubernetesHostingOptions.ClusterIdLabel));
        }
        var client = k8s.Single("Deployment", ClientDeployment);
        Assert.DoesNotContain(KubernetesHostingOptions.ServiceIdLabel, Kustomization.PodLabels(client).Keys);
        var clientOptions = Configuration(k8s.Environment(Kustomization.Container(client, "client")), "src/Client/appsettings.json")
            .GetSection(ClusterClientOptions.Section).Get<ClusterClientOptions>() ?? new();
        var siloOptions = SiloOptions(k8s, k8s.Single("Deployment", "products-silo"));
        Assert.Equal(siloOptions.ClusterId, clientOptions.ClusterId);
        Assert.Equal(siloOptions.ServiceId, clientOptions.ServiceId);
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Silos_take_name_namespace_and_address_from_their_pod(string overlay)
    {
        var k8s = Kustomization.Render(overlay);
        foreach (var name in SiloDeployments)
        {
            var env = k8s.Environment(Kustomization.Container(k8s.Single("Deployment", name), "silo"));
            Assert.Equal("fieldRef:metadata.name", env.GetValueOrDefault(KubernetesHostingOptions.PodNameEnvironmentVariable));
            Assert.Equal("fieldRef:metadata.namespace", env.GetValueOrDefault(KubernetesHostingOptions.PodNamespaceEnvironmentVariable));
            Assert.Equal("fieldRef:status.podIP", env.GetValueOrDefault(KubernetesHostingOptions.PodIPEnvironmentVariable));
            // The silo sets its advertised address itself (the package fills one in only where none is set): the pod IP.
            var options = SiloOptions(k8s, k8s.Single("Deployment", name));
            Assert.Equal("fieldRef:status.podIP", options.AdvertisedAddress);
            Assert.True(options.ListenOnAnyHostAddress, $"{overlay}/{name}: a silo listening on its pod IP alone is fine, but then say so: the manifests rely on every interface");
            Assert.True(options.UsesPostgres, $"{overlay}/{name}: no PostgreSQL: Kubernetes silos meet in the ADO.NET membership table");
            // The package would override the ids from these; the labels above must match what the silo uses.
            Assert.DoesNotContain(KubernetesHostingOptions.ClusterIdEnvironmentVariable, env.Keys);
            Assert.DoesNotContain(KubernetesHostingOptions.ServiceIdEnvironmentVariable, env.Keys);
        }
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Silos_run_as_an_account_that_may_do_what_Orleans_does_with_pods(string overlay)
    {
        var k8s = Kustomization.Render(overlay);
        foreach (var name in SiloDeployments)
        {
            var pod = Kustomization.PodSpec(k8s.Single("Deployment", name));
            var account = ComposeFile.Scalar(pod, "serviceAccountName");
            Assert.False(string.IsNullOrEmpty(account), $"{overlay}/{name}: runs as the namespace's default service account");
            Assert.NotEqual("false", ComposeFile.Scalar(pod, "automountServiceAccountToken"));
            var serviceAccount = k8s.Single("ServiceAccount", account!);
            var bindings = k8s.OfKind("RoleBinding").Where(b => Kustomization.Items(ComposeFile.Child(b, "subjects")).Any(s =>
                ComposeFile.Scalar(s, "kind") == "ServiceAccount" && ComposeFile.Scalar(s, "name") == account
                && ComposeFile.Scalar(s, "namespace") == Kustomization.Namespace(serviceAccount)));
            var verbs = bindings
                .Where(b => ComposeFile.Scalar(b, "roleRef", "kind") == "Role")
                .Select(b => k8s.Single("Role", ComposeFile.Scalar(b, "roleRef", "name")!))
                .SelectMany(role => Kustomization.Items(ComposeFile.Child(role, "rules")))
                .Where(rule => Strings(rule, "apiGroups").Contains("") && Strings(rule, "resources").Contains("pods"))
                .SelectMany(rule => Strings(rule, "verbs"))
                .ToHashSet();
            Assert.True(PodVerbs.All(verbs.Contains), $"{overlay}/{name}: account {account} may {string.Join(", ", verbs)} pods; Orleans needs {string.Join(", ", PodVerbs)}");
        }
        Assert.Equal("false", ComposeFile.Scalar(Kustomization.PodSpec(k8s.Single("Deployment", ClientDeployment)), "automountServiceAccountToken"));
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task Silo_probes_ask_the_silos_health_endpoint_for_paths_it_serves(string overlay)
    {
        var k8s = Kustomization.Render(overlay);
        foreach (var name in SiloDeployments)
        {
            var container = Kustomization.Container(k8s.Single("Deployment", name), "silo");
            var configuration = SiloConfiguration(k8s, container);
            var health = configuration.GetSection(SiloHealth.Section).Get<SiloHealth.Options>() ?? new();
            Assert.True(health.Port > 0, $"{overlay}/{name}: the silo's health endpoint is off (Health:Port)");
            // The kubelet probes the pod IP: the listener must take every interface (HttpListener's wildcard hosts).
            Assert.True(health.Host is "*" or "+", $"{overlay}/{name}: Health:Host {health.Host} does not answer on the pod IP");
            foreach (var (kind, probe) in Probes(container))
            {
                Assert.Equal(health.Port, ProbePort(container, probe));
                var path = ComposeFile.Scalar(probe, "httpGet", "path")!;
                var answer = await SiloHealthAnswers(path);
                Assert.True(answer == HttpStatusCode.OK, $"{overlay}/{name}: {kind} probe {path} answers {(int)answer} on the silo's health endpoint");
                Assert.True(kind != "liveness" || path.EndsWith("/live", StringComparison.Ordinal),
                    $"{overlay}/{name}: liveness must not run readiness checks (a silo without storage restarted forever)");
            }
            Assert.Contains(Probes(container), p => p.Kind == "readiness" && ComposeFile.Scalar(p.Probe, "httpGet", "path")!.EndsWith("/ready", StringComparison.Ordinal));
            var readiness = Probes(container).Single(p => p.Kind == "readiness").Probe;
            Assert.True(int.Parse(ComposeFile.Scalar(readiness, "timeoutSeconds") ?? "1") > StorageReachableCheck.Timeout.TotalSeconds,
                $"{overlay}/{name}: the readiness probe gives up before the storage check's own bound");
        }
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task Client_probes_and_service_reach_the_routes_and_port_the_client_serves(string overlay)
    {
        var k8s = Kustomization.Render(overlay);
        var container = Kustomization.Container(k8s.Single("Deployment", ClientDeployment), "client");
        var args = Strings(container, "args");
        Assert.Equal("serve", args[0]);
        var urls = new Uri(args[args.ToList().IndexOf("--urls") + 1]);
        Assert.Equal("0.0.0.0", urls.Host); // the kubelet and the Service reach the pod IP, not loopback
        await using var app = ClientApp.Create(new Dictionary<string, string?>(), "http://127.0.0.1:0");
        var routes = ((IEndpointRouteBuilder)app).DataSources.SelectMany(d => d.Endpoints).OfType<RouteEndpoint>()
            .Select(e => "/" + e.RoutePattern.RawText!.TrimStart('/')).ToHashSet();
        Assert.Equal(3, Probes(container).Count());
        foreach (var (kind, probe) in Probes(container))
        {
            Assert.Equal(urls.Port, ProbePort(container, probe));
            var path = ComposeFile.Scalar(probe, "httpGet", "path")!;
            Assert.True(routes.Contains(path), $"{overlay}: client {kind} probe {path} is not a route the client maps");
        }
        Assert.EndsWith("/ready", ComposeFile.Scalar(Probes(container).Single(p => p.Kind == "readiness").Probe, "httpGet", "path"));
        var port = Assert.Single(Kustomization.Items(ComposeFile.Child(k8s.Single("Service", ClientDeployment), "spec", "ports")));
        Assert.Equal(urls.Port, ResolvePort(container, ComposeFile.Scalar(port, "targetPort") ?? ComposeFile.Scalar(port, "port")!));
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Every_ENRICHMENT_variable_binds_to_a_real_option(string overlay)
    {
        var k8s = Kustomization.Render(overlay);
        foreach (var name in SiloDeployments.Append(ClientDeployment))
        {
            var isClient = name == ClientDeployment;
            var env = k8s.Environment(Kustomization.Containers(k8s.Single("Deployment", name)).Single());
            foreach (var variable in env.Keys.Where(k => k.StartsWith("ENRICHMENT_", StringComparison.Ordinal)))
            {
                var key = variable["ENRICHMENT_".Length..].Replace("__", ":");
                Assert.True(ComposeStructureTests.Binds(key, isClient), $"{overlay}/{name}: {variable} (configuration key {key}) matches no option the {(isClient ? "client" : "silo")} binds");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void The_silos_own_rules_accept_their_configuration(string overlay)
    {
        var k8s = Kustomization.Render(overlay);
        foreach (var name in SiloDeployments)
        {
            var configuration = SiloConfiguration(k8s, Kustomization.Container(k8s.Single("Deployment", name), "silo"));
            // The bootstrap folder exists only in the pod (checked by Model_silos_receive_the_bootstrap_model...).
            var problems = SiloOptionsValidation.Problems(configuration).Where(p => !p.StartsWith("--model ", StringComparison.Ordinal)).ToList();
            Assert.True(problems.Count == 0, $"{overlay}/{name}: the silo would refuse to start: {string.Join("; ", problems)}");
        }
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Only_model_silos_ask_for_a_gpu_and_they_run_the_image_and_accelerator_of_their_device(string overlay)
    {
        var k8s = Kustomization.Render(overlay);
        var gpuWorkloads = k8s.Resources.Where(r => ComposeFile.Child(r, "spec", "template") is not null)
            .Where(w => Kustomization.Containers(w).Concat(Kustomization.Containers(w, "initContainers")).Any(c => GpuCount(c) > 0))
            .Select(Kustomization.Name).ToList();
        Assert.True(gpuWorkloads.All(n => n == "model-silo"), $"{overlay}: GPUs requested by {string.Join(", ", gpuWorkloads)}");

        var products = k8s.Single("Deployment", "products-silo");
        Assert.True(string.IsNullOrEmpty(SiloOptions(k8s, products).Accelerator), $"{overlay}: the products-only silo declares an accelerator");
        Assert.Equal("enrichment-silo-products", ComposeFile.Scalar(Kustomization.Container(products, "silo"), "image"));
        Assert.Null(ComposeFile.Child(Kustomization.PodSpec(products), "nodeSelector"));

        var model = k8s.Single("Deployment", "model-silo");
        var accelerator = SiloOptions(k8s, model).Accelerator;
        var container = Kustomization.Container(model, "silo");
        var nodeSelector = Kustomization.Map(ComposeFile.Child(Kustomization.PodSpec(model), "nodeSelector"));
        switch (accelerator)
        {
            case "cuda":
                Assert.Equal(1, GpuCount(container));
                Assert.Equal("enrichment-silo:cuda", ComposeFile.Scalar(container, "image"));
                Assert.True(nodeSelector.Count > 0, $"{overlay}: a GPU silo without a node selector waits on whichever node it lands");
                break;
            case "cpu":
                Assert.Equal(0, GpuCount(container));
                Assert.Equal("enrichment-silo:cpu", ComposeFile.Scalar(container, "image"));
                break;
            default:
                Assert.Fail($"{overlay}: the model silos declare accelerator '{accelerator}', so they host no models");
                break;
        }
        if (overlay == "gpu")
        {
            Assert.Equal("cuda", accelerator);
        }
        if (overlay.StartsWith("cpu", StringComparison.Ordinal))
        {
            Assert.Equal("cpu", accelerator);
        }
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Every_image_is_one_the_repository_builds_for_that_role(string overlay)
    {
        var compose = ComposeFile.Load(Repo.PathOf("docker-compose.yml"));
        var composeImages = compose.ServiceNames.Select(s => (Service: compose.Service(s), Image: ComposeFile.Scalar(compose.Service(s), "image")))
            .Where(s => s.Image is not null).ToList();
        var k8s = Kustomization.Render(overlay);
        foreach (var workload in k8s.Resources.Where(r => ComposeFile.Child(r, "spec", "template") is not null))
        {
            foreach (var container in Kustomization.Containers(workload).Concat(Kustomization.Containers(workload, "initContainers")))
            {
                var image = ComposeFile.Scalar(container, "image")!;
                var where = $"{overlay}/{Kustomization.Name(workload)}/{ComposeFile.Scalar(container, "name")}";
                var built = composeImages.Where(s => s.Image == image).Select(s => s.Service).FirstOrDefault();
                if (built is not null)
                {
                    // Built by compose (or pulled, like postgres:16, which compose runs too).
                    var args = Kustomization.Map(ComposeFile.Child(built, "build", "args"));
                    if (Kustomization.Name(workload) == "model-silo")
                    {
                        Assert.Equal("All", args.GetValueOrDefault("SiloRole", "All"));
                        Assert.Equal(image.EndsWith(":cuda", StringComparison.Ordinal) ? "cuda" : "cpu", args.GetValueOrDefault("TorchDevice", "cpu"));
                    }
                    if (Kustomization.Name(workload) == "products-silo")
                    {
                        Assert.Equal("Products", args.GetValueOrDefault("SiloRole"));
                    }
                    continue;
                }
                // Otherwise a Dockerfile of deploy/ titles it (docker build -t NAME:TAG).
                var name = image.Split(':')[0];
                var titled = Directory.EnumerateFiles(Repo.PathOf("deploy"), "*.Dockerfile")
                    .Where(f => Dockerfile.Load(f).All("LABEL").Any(l => l.Arguments.Contains($"org.opencontainers.image.title=\"{name}\"", StringComparison.Ordinal)))
                    .ToList();
                Assert.True(titled.Count == 1, $"{where}: image {image} is neither built by docker-compose.yml nor titled by a deploy/*.Dockerfile");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Model_silos_receive_the_bootstrap_model_the_models_image_carries(string overlay)
    {
        var k8s = Kustomization.Render(overlay);
        var model = k8s.Single("Deployment", "model-silo");
        var checkpoint = SiloConfiguration(k8s, Kustomization.Container(model, "silo")).GetSection(ModelHostOptions.Section).Get<ModelHostOptions>()?.BootstrapCheckpoint;
        Assert.False(string.IsNullOrEmpty(checkpoint), $"{overlay}: the model silos publish no first model, so none becomes ready in a new cluster");
        var silo = Kustomization.Container(model, "silo");
        var volume = ComposeFile.Scalar(Kustomization.Items(ComposeFile.Child(silo, "volumeMounts")).Single(m => ComposeFile.Scalar(m, "mountPath") == checkpoint), "name");
        var init = Assert.Single(Kustomization.Containers(model, "initContainers"));
        var target = ComposeFile.Scalar(Kustomization.Items(ComposeFile.Child(init, "volumeMounts")).Single(m => ComposeFile.Scalar(m, "name") == volume), "mountPath")!;
        var command = Strings(init, "command");
        Assert.Equal(["cp", "-R"], command.Take(2));
        Assert.Equal(target.TrimEnd('/') + "/", command[^1].TrimEnd('/') + "/");

        // The image it copies from puts the default checkpoint, a real one of the repository, where the copy reads.
        var dockerfile = Dockerfile.Load(Repo.PathOf("deploy/models.Dockerfile"));
        var defaultCheckpoint = dockerfile.All("ARG").Select(a => Regex.Match(a.Arguments, @"^Checkpoint=(\S+)$")).Single(m => m.Success).Groups[1].Value;
        var copy = Dockerfile.Tokens(dockerfile.All("COPY").Single().Arguments);
        Assert.Equal(command[2].TrimEnd('.').TrimEnd('/'), copy[^1].TrimEnd('/'));
        var source = Repo.PathOf(Path.Combine("models", copy[0].Replace("${Checkpoint}", defaultCheckpoint)));
        Assert.True(File.Exists(Path.Combine(source, "manifest.json")), $"the models image copies {source}, which holds no checkpoint");
        Assert.Equal($"enrichment-models:{defaultCheckpoint}", ComposeFile.Scalar(init, "image"));
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Rolling_updates_keep_every_pod_and_a_stopping_silo_outlasts_a_model_swap(string overlay)
    {
        var k8s = Kustomization.Render(overlay);
        var hostShutdown = new HostOptions().ShutdownTimeout;
        foreach (var deployment in k8s.OfKind("Deployment"))
        {
            var name = Kustomization.Name(deployment);
            Assert.Equal("RollingUpdate", ComposeFile.Scalar(deployment, "spec", "strategy", "type") ?? "RollingUpdate");
            Assert.Equal("0", ComposeFile.Scalar(deployment, "spec", "strategy", "rollingUpdate", "maxUnavailable"));
            var grace = TimeSpan.FromSeconds(int.Parse(ComposeFile.Scalar(Kustomization.PodSpec(deployment), "terminationGracePeriodSeconds") ?? "30"));
            Assert.True(grace > hostShutdown, $"{overlay}/{name}: killed at {grace} before its host's {hostShutdown} shutdown ends");
            if (SiloDeployments.Contains(name))
            {
                var swap = (SiloConfiguration(k8s, Kustomization.Container(deployment, "silo")).GetSection(DeploymentOptions.Section).Get<DeploymentOptions>() ?? new()).SwapTimeout;
                Assert.True(grace > swap, $"{overlay}/{name}: killed at {grace}, within a model swap's {swap}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Each_silo_kind_has_a_disruption_budget_that_lets_one_pod_go_at_a_time(string overlay)
    {
        var k8s = Kustomization.Render(overlay);
        foreach (var name in SiloDeployments)
        {
            var deployment = k8s.Single("Deployment", name);
            var labels = Kustomization.PodLabels(deployment);
            var budgets = k8s.OfKind("PodDisruptionBudget")
                .Where(b => Kustomization.Map(ComposeFile.Child(b, "spec", "selector", "matchLabels")) is { Count: > 0 } match
                            && match.All(kv => labels.GetValueOrDefault(kv.Key) == kv.Value)).ToList();
            var budget = Assert.Single(budgets);
            // maxUnavailable, not minAvailable: a one-replica model silo must still let a node drain.
            Assert.Equal("1", ComposeFile.Scalar(budget, "spec", "maxUnavailable"));
        }
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Every_secret_and_config_map_a_pod_reads_is_rendered_or_one_the_readme_asks_the_operator_for(string overlay)
    {
        var k8s = Kustomization.Render(overlay);
        var readme = File.ReadAllText(Repo.PathOf("README.md"));
        foreach (var workload in k8s.Resources.Where(r => ComposeFile.Child(r, "spec", "template") is not null))
        {
            foreach (var container in Kustomization.Containers(workload))
            {
                foreach (var variable in Kustomization.Items(ComposeFile.Child(container, "env")))
                {
                    if (ComposeFile.Child(variable, "valueFrom", "secretKeyRef") is not { } reference)
                    {
                        continue;
                    }
                    var (secret, key) = (ComposeFile.Scalar(reference, "name")!, ComposeFile.Scalar(reference, "key")!);
                    var where = $"{overlay}/{Kustomization.Name(workload)}: {ComposeFile.Scalar(variable, "name")}";
                    if (k8s.OfKind("Secret").FirstOrDefault(s => Kustomization.Name(s) == secret) is { } rendered)
                    {
                        Assert.True(Kustomization.Map(ComposeFile.Child(rendered, "data")).ContainsKey(key), $"{where}: secret {secret} has no key {key}");
                        continue;
                    }
                    Assert.True(OperatorSecrets.TryGetValue(secret, out var keys) && keys.Contains(key), $"{where} reads {secret}/{key}, which is neither rendered nor an operator secret");
                    Assert.Matches($@"create secret generic {Regex.Escape(secret)}\b[^\n]*--from-literal={Regex.Escape(key)}=", readme.Replace("\\\n", " "));
                }
                foreach (var source in Kustomization.Items(ComposeFile.Child(container, "envFrom")))
                {
                    k8s.Single("ConfigMap", ComposeFile.Scalar(source, "configMapRef", "name")!);
                }
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private static int GpuCount(YamlNode container) =>
        new[] { "limits", "requests" }.Select(k => ComposeFile.Scalar(container, "resources", k, Gpu)).Where(v => v is not null).Select(int.Parse).DefaultIfEmpty(0).Max();

    private static IReadOnlyList<string> Strings(YamlNode node, string key) =>
        (ComposeFile.Child(node, key) as YamlSequenceNode)?.Select(n => ((YamlScalarNode)n).Value!).ToList() ?? [];

    private static IEnumerable<(string Kind, YamlMappingNode Probe)> Probes(YamlNode container) =>
        new[] { "startup", "liveness", "readiness" }
            .Select(kind => (Kind: kind, Probe: ComposeFile.Child(container, kind + "Probe") as YamlMappingNode))
            .Where(p => p.Probe is not null).Select(p => (p.Kind, p.Probe!));

    private static int ProbePort(YamlNode container, YamlNode probe) => ResolvePort(container, ComposeFile.Scalar(probe, "httpGet", "port")!);

    /// <summary>A port number, or the number of the container port of that name.</summary>
    private static int ResolvePort(YamlNode container, string port) => int.TryParse(port, out var number)
        ? number
        : int.Parse(Kustomization.Items(ComposeFile.Child(container, "ports")).SingleOrDefault(p => ComposeFile.Scalar(p, "name") == port) is { } named
            ? ComposeFile.Scalar(named, "containerPort")!
            : throw new Xunit.Sdk.XunitException($"no container port named {port}"));

    /// <summary>Configuration as a host reads it: its appsettings.json, then ENRICHMENT_ variables (Section__Key).</summary>
    private static IConfiguration Configuration(IReadOnlyDictionary<string, string> env, string appsettings) =>
        new ConfigurationBuilder()
            .AddJsonFile(Repo.PathOf(appsettings), optional: false)
            .AddInMemoryCollection(env.Where(kv => kv.Key.StartsWith("ENRICHMENT_", StringComparison.Ordinal))
                .Select(kv => KeyValuePair.Create(kv.Key["ENRICHMENT_".Length..].Replace("__", ":"), (string?)kv.Value)))
            .Build();

    private static IConfiguration SiloConfiguration(Kustomization k8s, YamlNode container) => Configuration(k8s.Environment(container), "src/Silo/appsettings.json");

    private static SiloHostOptions SiloOptions(Kustomization k8s, YamlNode silo) =>
        SiloConfiguration(k8s, Kustomization.Container(silo, "silo")).GetSection(SiloHostOptions.Section).Get<SiloHostOptions>() ?? new();

    /// <summary>
    /// What the silo's real health endpoint (SiloHealth, on 127.0.0.1) answers for a path, with no health checks
    /// registered: this asks whether the endpoint serves the path, not whether a cluster is healthy.
    /// </summary>
    private static async Task<HttpStatusCode> SiloHealthAnswers(string path)
    {
        // A port found free can be taken by another test's server before the endpoint binds it (the endpoint then
        // fails to start): a fresh port is tried before giving up.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await SiloHealthAnswers(path, LoopbackPorts.Free());
            }
            catch (Exception ex) when (ex is TimeoutException or System.Net.HttpListenerException && attempt < 3)
            {
            }
        }
    }

    private static async Task<HttpStatusCode> SiloHealthAnswers(string path, int port)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Health:Port"] = port.ToString(), ["Health:Host"] = "127.0.0.1" });
        builder.Services.AddSiloHealth(builder.Configuration);
        builder.Services.Configure<HealthCheckServiceOptions>(o => o.Registrations.Clear());
        using var host = builder.Build();
        await host.StartAsync();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            HttpResponseMessage? response = null;
            await Eventually.True(async () =>
            {
                try
                {
                    response = await http.GetAsync(path);
                    return true;
                }
                catch (HttpRequestException)
                {
                    return false; // the listener is still starting
                }
            }, TimeSpan.FromSeconds(30), $"the silo health endpoint on port {port}");
            return response!.StatusCode;
        }
        finally
        {
            await host.StopAsync();
        }
    }
}
