using System.Diagnostics;
using YamlDotNet.RepresentationModel;

namespace Enrichment.Deploy.Tests;

/// <summary>
/// One overlay of deploy/k8s rendered by `kubectl kustomize` (the kustomize built into kubectl; test.sh installs kubectl
/// where it is missing), read back as YAML documents.
/// </summary>
internal sealed class Kustomization
{
    public const string OverlaysFolder = "deploy/k8s/overlays";

    private Kustomization(string overlay, IReadOnlyList<YamlMappingNode> resources) => (Overlay, Resources) = (overlay, resources);

    public string Overlay { get; }

    public IReadOnlyList<YamlMappingNode> Resources { get; }

    /// <summary>Every overlay folder (each holds a kustomization.yaml), so a new overlay is checked without being named.</summary>
    public static IReadOnlyList<string> Overlays() =>
        Directory.EnumerateDirectories(Repo.PathOf(OverlaysFolder))
            .Where(d => File.Exists(Path.Combine(d, "kustomization.yaml")))
            .Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToList();

    public static Kustomization Render(string overlay)
    {
        var kubectl = Kubectl();
        var start = new ProcessStartInfo(kubectl, ["kustomize", Repo.PathOf($"{OverlaysFolder}/{overlay}")])
        {
            RedirectStandardOutput = true, RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"kubectl kustomize {overlay} failed ({process.ExitCode}): {stderr.Result}");
        var stream = new YamlStream();
        stream.Load(new StringReader(stdout.Result));
        return new Kustomization(overlay, stream.Documents.Select(d => (YamlMappingNode)d.RootNode).ToList());
    }

    /// <summary>kubectl from KUBECTL or PATH; its absence is a failure that says how to get it, never a skipped test.</summary>
    private static string Kubectl()
    {
        if (System.Environment.GetEnvironmentVariable("KUBECTL") is { Length: > 0 } configured)
        {
            return configured;
        }
        var found = (System.Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(dir => Path.Combine(dir, "kubectl")).FirstOrDefault(File.Exists);
        return found ?? throw new Xunit.Sdk.XunitException("kubectl is not on PATH: bash test.sh installs it (or set KUBECTL to one)");
    }

    public IEnumerable<YamlMappingNode> OfKind(string kind) => Resources.Where(r => ComposeFile.Scalar(r, "kind") == kind);

    public YamlMappingNode Single(string kind, string name) =>
        OfKind(kind).SingleOrDefault(r => Name(r) == name)
        ?? throw new Xunit.Sdk.XunitException($"{Overlay}: no {kind} named {name}");

    public static string Name(YamlNode resource) => ComposeFile.Scalar(resource, "metadata", "name")!;

    public static string? Namespace(YamlNode resource) => ComposeFile.Scalar(resource, "metadata", "namespace");

    public static YamlMappingNode PodSpec(YamlNode workload) =>
        ComposeFile.Child(workload, "spec", "template", "spec") as YamlMappingNode
        ?? throw new Xunit.Sdk.XunitException($"{Name(workload)} has no pod template");

    public static IReadOnlyDictionary<string, string> PodLabels(YamlNode workload) => Map(ComposeFile.Child(workload, "spec", "template", "metadata", "labels"));

    public static IEnumerable<YamlMappingNode> Containers(YamlNode workload, string list = "containers") =>
        (ComposeFile.Child(PodSpec(workload), list) as YamlSequenceNode)?.Cast<YamlMappingNode>() ?? [];

    public static YamlMappingNode Container(YamlNode workload, string name) =>
        Containers(workload).SingleOrDefault(c => ComposeFile.Scalar(c, "name") == name)
        ?? throw new Xunit.Sdk.XunitException($"{Name(workload)} has no container {name}");

    public static IReadOnlyDictionary<string, string> Map(YamlNode? node) => node is YamlMappingNode map
        ? map.Children.ToDictionary(kv => ((YamlScalarNode)kv.Key).Value!, kv => (kv.Value as YamlScalarNode)?.Value ?? "", StringComparer.Ordinal)
        : new Dictionary<string, string>();

    public static IEnumerable<YamlMappingNode> Items(YamlNode? node) => (node as YamlSequenceNode)?.Cast<YamlMappingNode>() ?? [];

    /// <summary>
    /// A container's environment as the process sees it: the envFrom ConfigMaps of this render, then env entries
    /// (which win). A value from the downward API or a secret reads as "fieldRef:PATH" or "secret:NAME/KEY".
    /// </summary>
    public IReadOnlyDictionary<string, string> Environment(YamlNode container)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var source in Items(ComposeFile.Child(container, "envFrom")))
        {
            if (ComposeFile.Scalar(source, "configMapRef", "name") is { } configMap)
            {
                foreach (var (key, value) in Map(ComposeFile.Child(Single("ConfigMap", configMap), "data")))
                {
                    result[key] = value;
                }
            }
            else
            {
                throw new Xunit.Sdk.XunitException($"{Overlay}: envFrom other than a ConfigMap is not read by this test: {source}");
            }
        }
        foreach (var variable in Items(ComposeFile.Child(container, "env")))
        {
            var name = ComposeFile.Scalar(variable, "name")!;
            result[name] = ComposeFile.Scalar(variable, "value")
                           ?? (ComposeFile.Scalar(variable, "valueFrom", "fieldRef", "fieldPath") is { } field ? "fieldRef:" + field : null)
                           ?? (ComposeFile.Child(variable, "valueFrom", "secretKeyRef") is { } secret
                               ? $"secret:{ComposeFile.Scalar(secret, "name")}/{ComposeFile.Scalar(secret, "key")}"
                               : throw new Xunit.Sdk.XunitException($"{Overlay}: {name} has a value this test does not read"));
        }
        return result;
    }
}
