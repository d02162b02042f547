using System.Reflection;
using System.Text.RegularExpressions;
using Enrichment.Client.Hosting;
using Enrichment.Client.Ingest;
using Enrichment.Grains.Queue;
using Enrichment.Grains.Ingest;
using Enrichment.Grains.Products;
using Enrichment.Grains.Serving;
using Enrichment.Silo.Hosting;
using YamlDotNet.RepresentationModel;

namespace Enrichment.Deploy.Tests;

/// <summary>
/// docker-compose.yml and the Dockerfiles cannot run on a machine without a Docker engine, so their structure is
/// checked against the repository: services, health-gated startup, build contexts and COPY sources, the GPU
/// request and CUDA build, published projects, and configuration keys that bind to real options.
/// </summary>
[Trait("Category", "Unit")]
public sealed class ComposeStructureTests
{
    private readonly ComposeFile _compose = ComposeFile.Load(Repo.PathOf("docker-compose.yml"));

    [Fact]
    public void The_five_services_exist()
    {
        Assert.Subset(_compose.ServiceNames.ToHashSet(), new HashSet<string> { "postgres", "gpu-silo", "cpu-silo", "products-silo", "client" });
    }

    [Fact]
    public void Postgres_is_the_official_image_with_a_healthcheck_and_a_volume()
    {
        var postgres = _compose.Service("postgres");
        Assert.Matches(@"^postgres:16(\.\d+)*$", ComposeFile.Scalar(postgres, "image"));
        var test = ComposeFile.Child(postgres, "healthcheck", "test");
        Assert.NotNull(test);
        Assert.Contains("pg_isready", test!.ToString());
        var volumes = Assert.IsType<YamlSequenceNode>(ComposeFile.Child(postgres, "volumes"));
        Assert.Contains(volumes, v => ((YamlScalarNode)v).Value!.EndsWith(":/var/lib/postgresql/data", StringComparison.Ordinal));
        var named = ((YamlScalarNode)volumes.First()).Value!.Split(':')[0];
        var declared = Assert.IsType<YamlMappingNode>(ComposeFile.Child(_compose.Root, "volumes"));
        Assert.True(declared.Children.ContainsKey(new YamlScalarNode(named)), $"named volume '{named}' is not declared under volumes:");
        var env = ComposeFile.Environment(postgres);
        Assert.False(string.IsNullOrEmpty(env.GetValueOrDefault("POSTGRES_PASSWORD")), "the official image refuses to start without POSTGRES_PASSWORD");
    }

    [Fact]
    public void Postgres_allows_the_connections_that_ten_silos_and_two_clients_budget_for()
    {
        var command = Assert.IsType<YamlSequenceNode>(ComposeFile.Child(_compose.Service("postgres"), "command"));
        var words = string.Join(" ", command.Select(n => ((YamlScalarNode)n).Value));
        var match = Regex.Match(words, @"max_connections=(\d+)");
        Assert.True(match.Success, $"postgres command sets no max_connections: {words}");
        Assert.True(int.Parse(match.Groups[1].Value) >= Enrichment.Persistence.PostgresBudget.MaxConnectionsFor(silos: 10, clients: 2),
            $"max_connections={match.Groups[1].Value} is below the budget of 10 silos and 2 clients");
    }

    [Theory]
    [InlineData("gpu-silo")]
    [InlineData("cpu-silo")]
    [InlineData("products-silo")]
    [InlineData("client")]
    public void Silos_and_client_wait_for_a_healthy_postgres(string service)
    {
        Assert.Equal("service_healthy", ComposeFile.Scalar(_compose.Service(service), "depends_on", "postgres", "condition"));
    }

    [Theory]
    [InlineData("gpu-silo")]
    [InlineData("cpu-silo")]
    [InlineData("products-silo")]
    [InlineData("client")]
    public void Every_service_finds_postgres_through_the_environment(string service)
    {
        var env = ComposeFile.Environment(_compose.Service(service));
        var cs = env.GetValueOrDefault("ENRICHMENT_Cluster__Postgres");
        Assert.False(string.IsNullOrWhiteSpace(cs), $"{service} has no ENRICHMENT_Cluster__Postgres");
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(cs);
        Assert.Equal("enrichment", builder.Database);
        var postgresEnv = ComposeFile.Environment(_compose.Service("postgres"));
        Assert.Equal(postgresEnv["POSTGRES_PASSWORD"], builder.Password);
        Assert.Equal(postgresEnv.GetValueOrDefault("POSTGRES_DB", "postgres"), builder.Database);
        Assert.Equal(postgresEnv.GetValueOrDefault("POSTGRES_USER", "postgres"), builder.Username);
        // Every service has its own network namespace on the project network, where the service name resolves.
        Assert.Null(ComposeFile.Child(_compose.Service(service), "network_mode"));
        Assert.Equal("postgres", builder.Host);
        Assert.Equal(ComposeFile.Environment(_compose.Service("cpu-silo"))["ENRICHMENT_Cluster__ClusterId"], env.GetValueOrDefault("ENRICHMENT_Cluster__ClusterId"));
    }

    [Theory]
    [InlineData("gpu-silo")]
    [InlineData("cpu-silo")]
    [InlineData("products-silo")]
    public void Silos_listen_on_their_container_interfaces_and_advertise_the_containers_own_address(string service)
    {
        var silo = _compose.Service(service);
        Assert.Equal(AdvertisedAddressResolver.Auto, SiloSetting(silo, "Cluster:AdvertisedAddress"));
        Assert.Equal("true", SiloSetting(silo, "Cluster:ListenOnAnyHostAddress"));
        // Nothing pins an address or a host port, so the service scales out (docker compose up --scale).
        Assert.Null(ComposeFile.Child(silo, "ports"));
        Assert.Null(ComposeFile.Child(silo, "container_name"));
    }

    [Fact]
    public void The_client_listens_on_its_interfaces_and_publishes_the_api_port()
    {
        var client = _compose.Service("client");
        var command = ComposeFile.Command(client);
        Assert.Equal("serve", command[0]);
        var uri = new Uri(command[command.ToList().IndexOf("--urls") + 1]);
        Assert.Equal("0.0.0.0", uri.Host); // published ports arrive on the container's interface, not loopback
        var published = Assert.IsType<YamlSequenceNode>(ComposeFile.Child(client, "ports"));
        Assert.Contains(published, p => ComposeFile.Interpolate(((YamlScalarNode)p).Value!).EndsWith(":" + uri.Port, StringComparison.Ordinal));
    }

    [Fact]
    public void The_gpu_silo_requests_an_nvidia_gpu_builds_with_cuda_and_declares_the_cuda_accelerator()
    {
        var gpu = _compose.Service("gpu-silo");
        var devices = Assert.IsType<YamlSequenceNode>(ComposeFile.Child(gpu, "deploy", "resources", "reservations", "devices"));
        var device = Assert.IsType<YamlMappingNode>(Assert.Single(devices));
        Assert.Equal("nvidia", ComposeFile.Scalar(device, "driver"));
        var capabilities = Assert.IsType<YamlSequenceNode>(ComposeFile.Child(device, "capabilities"));
        Assert.Contains(capabilities, c => ((YamlScalarNode)c).Value == "gpu");
        Assert.Equal("cuda", ComposeFile.Scalar(gpu, "build", "args", "TorchDevice"));
        Assert.Equal("cuda", SiloSetting(gpu, "Cluster:Accelerator"));
        Assert.Equal("/models/demo", SiloSetting(gpu, "Enrichment:Models:BootstrapCheckpoint"));
        Assert.Contains(((YamlSequenceNode)ComposeFile.Child(gpu, "volumes")!), v => ((YamlScalarNode)v).Value!.StartsWith("./models:/models", StringComparison.Ordinal));
    }

    [Fact]
    public void The_cpu_silo_is_a_cpu_build_that_declares_the_cpu_accelerator()
    {
        var cpu = _compose.Service("cpu-silo");
        Assert.Equal("cpu", ComposeFile.Scalar(cpu, "build", "args", "TorchDevice") ?? "cpu");
        Assert.Null(ComposeFile.Child(cpu, "deploy", "resources", "reservations", "devices"));
        Assert.Equal("cpu", SiloSetting(cpu, "Cluster:Accelerator"));
    }

    [Fact]
    public void The_products_silo_is_a_products_only_build_that_hosts_no_models()
    {
        var products = _compose.Service("products-silo");
        Assert.Equal("Products", ComposeFile.Scalar(products, "build", "args", "SiloRole"));
        Assert.Equal("enrichment-silo-products", ComposeFile.Scalar(products, "image"));
        Assert.Null(ComposeFile.Child(products, "deploy", "resources", "reservations", "devices"));
        Assert.Null(ComposeFile.Child(products, "volumes"));
        Assert.True(string.IsNullOrEmpty(SiloSetting(products, "Cluster:Accelerator")), "a products-only silo cannot host model grains");
        Assert.Null(SiloSetting(products, "Enrichment:Models:BootstrapCheckpoint"));
        // The model silos are full builds: nothing else sets SiloRole.
        foreach (var service in new[] { "gpu-silo", "cpu-silo" })
        {
            Assert.Equal("All", ComposeFile.Scalar(_compose.Service(service), "build", "args", "SiloRole") ?? "All");
        }
    }

    [Fact]
    public void The_silo_dockerfile_builds_and_labels_the_silo_role_it_is_given()
    {
        var dockerfile = Dockerfile.Load(BuildOf("products-silo").Path);
        Assert.Contains(dockerfile.All("ARG"), a => a.Stage == -1 && a.Arguments == "SiloRole=All");
        var runs = dockerfile.All("RUN").Select(r => r.Arguments).ToList();
        Assert.Contains(runs, r => r.Contains("dotnet restore") && Regex.IsMatch(r, @"-p:SiloRole=\$\{?SiloRole\}?"));
        Assert.Contains(runs, r => r.Contains("dotnet publish") && Regex.IsMatch(r, @"-p:SiloRole=\$\{?SiloRole\}?"));
        // Each stage that reads the argument declares it (an ARG before FROM is out of scope inside a stage).
        var last = dockerfile.StageImages.Count - 1;
        Assert.Contains(dockerfile.All("ARG"), a => a.Stage == last && a.Arguments == "SiloRole");
        Assert.Contains(dockerfile.All("LABEL"), l => l.Stage == last && Regex.IsMatch(l.Arguments, @"enrichment\.silo-role=""\$\{?SiloRole\}?"""));
    }

    public static TheoryData<string> BuiltServices => new() { "gpu-silo", "cpu-silo", "products-silo", "client" };

    [Theory]
    [MemberData(nameof(BuiltServices))]
    public void Build_context_dockerfile_and_every_copy_source_exist_and_are_not_dockerignored(string service)
    {
        var (context, dockerfilePath) = BuildOf(service);
        Assert.True(Directory.Exists(context), $"{service}: build context {context} does not exist");
        Assert.True(File.Exists(dockerfilePath), $"{service}: Dockerfile {dockerfilePath} does not exist");
        var ignore = DockerIgnore.Load(context);
        var dockerfile = Dockerfile.Load(dockerfilePath);
        var sources = dockerfile.ContextSources().ToList();
        Assert.NotEmpty(sources);
        foreach (var (instruction, source) in sources)
        {
            var matches = Expand(context, source);
            Assert.True(matches.Count > 0, $"{service}: '{instruction.Keyword} {instruction.Arguments}' copies '{source}', which is not in {context}");
            foreach (var match in matches)
            {
                var relative = Path.GetRelativePath(context, match).Replace('\\', '/');
                Assert.False(ignore.IsExcluded(relative), $"{service}: '{source}' is excluded from the build context by .dockerignore");
                if (Directory.Exists(match))
                {
                    // A copied directory must still bring its sources (bin/obj are ignored, the rest is not).
                    var files = Directory.EnumerateFiles(match, "*", SearchOption.AllDirectories)
                        .Select(f => Path.GetRelativePath(context, f).Replace('\\', '/'))
                        .Where(f => !f.Contains("/bin/") && !f.Contains("/obj/"))
                        .ToList();
                    Assert.Contains(files, f => !ignore.IsExcluded(f));
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(BuiltServices))]
    public void Dockerfiles_are_multi_stage_sdk_to_runtime_and_publish_a_project_that_exists(string service)
    {
        var (context, dockerfilePath) = BuildOf(service);
        var dockerfile = Dockerfile.Load(dockerfilePath);
        var images = dockerfile.StageImages;
        Assert.True(images.Count >= 2, $"{service}: not multi-stage");
        Assert.Equal("mcr.microsoft.com/dotnet/sdk:10.0", images[0]);
        Assert.Matches(@"^mcr\.microsoft\.com/dotnet/(aspnet|runtime):10\.0$", images[^1]);

        var publish = dockerfile.All("RUN").Select(r => Regex.Match(r.Arguments, @"dotnet publish (?<project>\S+\.csproj)")).Single(m => m.Success);
        var project = publish.Groups["project"].Value;
        Assert.True(File.Exists(Path.Combine(context, project)), $"{service}: publishes {project}, which is not in the repository");
        var projectFile = Path.Combine(context, project);
        var assembly = Path.GetFileNameWithoutExtension(projectFile);
        var entrypoint = Dockerfile.Tokens(dockerfile.All("ENTRYPOINT").Last().Arguments);
        Assert.Equal(["dotnet", assembly + ".dll"], entrypoint);

        // The final image's runtime must be the one the project needs: ASP.NET Core for the Web SDK.
        var web = File.ReadAllText(projectFile).Contains("Microsoft.NET.Sdk.Web", StringComparison.Ordinal);
        Assert.EndsWith(web ? "/aspnet:10.0" : "/runtime:10.0", images[^1]);

        // Every project the published one references is copied into the build stage.
        var copied = string.Join('\n', dockerfile.ContextSources().Select(s => s.Source));
        foreach (var reference in ProjectClosure(projectFile))
        {
            var relative = Path.GetRelativePath(context, reference).Replace('\\', '/');
            Assert.Contains(relative, copied);
        }
    }

    [Fact]
    public void The_silo_dockerfile_builds_for_the_torch_device_it_is_given()
    {
        var (_, path) = BuildOf("gpu-silo");
        Assert.Equal(path, BuildOf("cpu-silo").Path);
        var dockerfile = Dockerfile.Load(path);
        Assert.Contains(dockerfile.All("ARG"), a => a.Arguments.StartsWith("TorchDevice", StringComparison.Ordinal));
        var runs = dockerfile.All("RUN").Select(r => r.Arguments).ToList();
        Assert.Contains(runs, r => r.Contains("dotnet restore") && Regex.IsMatch(r, @"-p:TorchDevice=\$\{?TorchDevice\}?"));
        Assert.Contains(runs, r => r.Contains("dotnet publish") && Regex.IsMatch(r, @"-p:TorchDevice=\$\{?TorchDevice\}?"));
        // The switch the build argument drives really exists in the model project.
        var models = File.ReadAllText(Repo.PathOf("src/Models/Enrichment.Models.csproj"));
        Assert.Contains("'$(TorchDevice)' == 'cuda'", models);
    }

    [Theory]
    [InlineData("gpu-silo")]
    [InlineData("cpu-silo")]
    [InlineData("products-silo")]
    [InlineData("client")]
    public void Every_ENRICHMENT_variable_binds_to_a_real_option(string service)
    {
        var isClient = service == "client";
        foreach (var name in ComposeFile.Environment(_compose.Service(service)).Keys.Where(k => k.StartsWith("ENRICHMENT_", StringComparison.Ordinal)))
        {
            var key = name["ENRICHMENT_".Length..].Replace("__", ":");
            Assert.True(Binds(key, isClient), $"{service}: {name} (configuration key {key}) matches no option the {(isClient ? "client" : "silo")} binds");
        }
    }

    [Theory]
    [InlineData("gpu-silo")]
    [InlineData("cpu-silo")]
    [InlineData("products-silo")]
    public void Silo_command_switches_exist(string service)
    {
        foreach (var arg in ComposeFile.Command(_compose.Service(service)).Where(a => a.StartsWith("--", StringComparison.Ordinal)))
        {
            var name = arg.Split('=')[0];
            // The silo's command line takes only its named switches (and --set Section:Key=value); anything else exits with an error.
            Assert.True(SiloCommandLine.SwitchMappings.ContainsKey(name) || name == "--set", $"{service}: unknown silo switch {name}");
        }
    }

    [Fact]
    public void The_published_api_requires_an_ingest_token_the_operator_must_set()
    {
        // Raw text: the interpolating reader treats a missing required variable as empty, as compose would not.
        var raw = File.ReadAllText(Repo.PathOf("docker-compose.yml"));
        Assert.Matches(@"ENRICHMENT_Ingest__Token: ""\$\{ENRICHMENT_INGEST_TOKEN:\?[^}]+\}""", raw);
        Assert.NotNull(typeof(IngestOptions).GetProperty(nameof(IngestOptions.Token)));
    }

    [Fact]
    public void The_client_binds_postgres_and_cluster_id_from_the_environment_like_the_silo()
    {
        // Same section, same names on both sides: one shared anchor configures both.
        Assert.Equal(SiloHostOptions.Section, ClusterClientOptions.Section);
        Assert.NotNull(typeof(ClusterClientOptions).GetProperty(nameof(ClusterClientOptions.Postgres)));
        Assert.NotNull(typeof(ClusterClientOptions).GetProperty(nameof(ClusterClientOptions.ClusterId)));
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private (string Context, string Path) BuildOf(string service)
    {
        var build = ComposeFile.Child(_compose.Service(service), "build");
        Assert.NotNull(build);
        var context = build is YamlScalarNode s ? s.Value! : ComposeFile.Scalar(build, "context") ?? ".";
        var dockerfile = ComposeFile.Scalar(build, "dockerfile") ?? "Dockerfile";
        var contextPath = Repo.PathOf(context);
        return (contextPath, Path.GetFullPath(Path.Combine(contextPath, dockerfile)));
    }

    /// <summary>A setting of a silo service from its command switches, else its environment.</summary>
    private static string? SiloSetting(YamlMappingNode service, string key)
    {
        var command = ComposeFile.Command(service);
        for (var i = 0; i < command.Count - 1; i++)
        {
            if (SiloCommandLine.SwitchMappings.TryGetValue(command[i], out var mapped) && mapped == key)
            {
                return command[i + 1];
            }
        }
        return ComposeFile.Environment(service).GetValueOrDefault("ENRICHMENT_" + key.Replace(":", "__"));
    }

    private static List<string> Expand(string context, string source)
    {
        var relative = source.TrimStart('/').TrimEnd('/');
        if (relative is "" or ".")
        {
            return [context];
        }
        if (!relative.Contains('*') && !relative.Contains('?'))
        {
            var full = Path.Combine(context, relative);
            return File.Exists(full) || Directory.Exists(full) ? [full] : [];
        }
        var dir = Path.Combine(context, Path.GetDirectoryName(relative) ?? "");
        return Directory.Exists(dir) ? Directory.EnumerateFileSystemEntries(dir, Path.GetFileName(relative)).ToList() : [];
    }

    private static IEnumerable<string> ProjectClosure(string projectFile)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var queue = new Queue<string>([Path.GetFullPath(projectFile)]);
        while (queue.Count > 0)
        {
            var project = queue.Dequeue();
            if (!seen.Add(project))
            {
                continue;
            }
            yield return project;
            var xml = System.Xml.Linq.XDocument.Load(project);
            foreach (var reference in xml.Descendants("ProjectReference"))
            {
                var include = reference.Attribute("Include")!.Value.Replace('\\', '/');
                queue.Enqueue(Path.GetFullPath(Path.Combine(Path.GetDirectoryName(project)!, include)));
            }
        }
    }

    /// <summary>The configuration sections each host binds, and the options type bound there.</summary>
    private static IEnumerable<(string Section, Type Options)> Sections(bool client) => client
        ? [
            (ClusterClientOptions.Section, typeof(ClusterClientOptions)),
            (IngestOptions.Section, typeof(IngestOptions)),
            (Enrichment.Client.Api.AdminOptions.Section, typeof(Enrichment.Client.Api.AdminOptions)),
        ]
        : [
            (SiloHostOptions.Section, typeof(SiloHostOptions)),
            (SiloHealth.Section, typeof(SiloHealth.Options)),
            (SiloMetrics.Section, typeof(SiloMetrics.Options)),
            (ModelHostOptions.Section, typeof(ModelHostOptions)),
            (EnrichmentQueueOptions.Section, typeof(EnrichmentQueueOptions)),
            (DeploymentOptions.Section, typeof(DeploymentOptions)),
            ("Enrichment:RejectedEvents", typeof(RejectedEventsOptions)),
            (Enrichment.Persistence.Images.PhotoStoreOptions.Section, typeof(Enrichment.Persistence.Images.PhotoStoreOptions)),
        ];

    /// <summary>Whether a configuration key (Section:Key) matches an option the client or the silo binds (also used by the Kubernetes tests).</summary>
    internal static bool Binds(string key, bool client)
    {
        if (key.StartsWith("Logging:LogLevel:", StringComparison.OrdinalIgnoreCase))
        {
            return true; // logging filters: any category name is valid
        }
        foreach (var (section, type) in Sections(client))
        {
            if (key.StartsWith(section + ":", StringComparison.OrdinalIgnoreCase)
                && ResolvesTo(type, key[(section.Length + 1)..].Split(':')))
            {
                return true;
            }
        }
        return false;
    }

    private static bool ResolvesTo(Type type, IReadOnlyList<string> path)
    {
        var current = type;
        for (var i = 0; i < path.Count; i++)
        {
            if (current.IsArray && int.TryParse(path[i], out _))
            {
                current = current.GetElementType()!;
                continue;
            }
            var property = current.GetProperty(path[i], BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
            if (property is null || (property.SetMethod is null && i == path.Count - 1))
            {
                return false;
            }
            current = property.PropertyType;
        }
        return true;
    }
}
