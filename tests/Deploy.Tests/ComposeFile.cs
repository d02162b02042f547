using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Enrichment.Deploy.Tests;

/// <summary>docker-compose.yml read with YamlDotNet's representation model (anchors and merge keys resolved).</summary>
internal sealed class ComposeFile
{
    private ComposeFile(YamlMappingNode root) => Root = root;

    public YamlMappingNode Root { get; }

    public static ComposeFile Load(string path)
    {
        var stream = new YamlStream();
        using (var reader = new StreamReader(path))
        {
            // MergingParser expands "<<: *anchor" the way Compose does.
            stream.Load(new YamlDotNet.Core.MergingParser(new YamlDotNet.Core.Parser(reader)));
        }
        return new ComposeFile((YamlMappingNode)stream.Documents.Single().RootNode);
    }

    public YamlMappingNode Services => (YamlMappingNode)Root["services"];

    public YamlMappingNode Service(string name) =>
        Services.Children.TryGetValue(new YamlScalarNode(name), out var node)
            ? (YamlMappingNode)node
            : throw new Xunit.Sdk.XunitException($"docker-compose.yml has no service '{name}'");

    public IEnumerable<string> ServiceNames => Services.Children.Keys.Select(k => ((YamlScalarNode)k).Value!);

    /// <summary>Environment of a service, from either the mapping or the list ("KEY=value") form, values interpolated.</summary>
    public static Dictionary<string, string> Environment(YamlMappingNode service)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (Child(service, "environment") is not { } env)
        {
            return result;
        }
        if (env is YamlMappingNode map)
        {
            foreach (var (k, v) in map.Children)
            {
                result[((YamlScalarNode)k).Value!] = Interpolate(((YamlScalarNode)v).Value ?? "");
            }
        }
        else
        {
            foreach (var item in (YamlSequenceNode)env)
            {
                var text = ((YamlScalarNode)item).Value!;
                var eq = text.IndexOf('=');
                result[eq < 0 ? text : text[..eq]] = eq < 0 ? "" : Interpolate(text[(eq + 1)..]);
            }
        }
        return result;
    }

    /// <summary>The command as a list of arguments (list form, or a string split on spaces).</summary>
    public static IReadOnlyList<string> Command(YamlMappingNode service) => Child(service, "command") switch
    {
        null => [],
        YamlSequenceNode seq => seq.Select(n => Interpolate(((YamlScalarNode)n).Value ?? "")).ToList(),
        YamlScalarNode s => Interpolate(s.Value ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries),
        var other => throw new Xunit.Sdk.XunitException($"unexpected command node {other}"),
    };

    public static YamlNode? Child(YamlNode? node, params string[] path)
    {
        foreach (var key in path)
        {
            if (node is not YamlMappingNode map || !map.Children.TryGetValue(new YamlScalarNode(key), out node))
            {
                return null;
            }
        }
        return node;
    }

    public static string? Scalar(YamlNode? node, params string[] path) => (Child(node, path) as YamlScalarNode)?.Value;

    /// <summary>Compose variable interpolation with defaults, as if no variable were set: ${X:-d} and ${X-d} give d, ${X} gives "".</summary>
    public static string Interpolate(string value) =>
        Regex.Replace(value.Replace("$$", "\u0001"), @"\$\{(?<name>[A-Za-z_][A-Za-z0-9_]*)(?:(?<op>:?[-?])(?<default>[^}]*))?\}|\$(?<bare>[A-Za-z_][A-Za-z0-9_]*)",
            m => m.Groups["op"].Success && m.Groups["op"].Value.EndsWith('-') ? m.Groups["default"].Value : "")
            .Replace("\u0001", "$");
}
