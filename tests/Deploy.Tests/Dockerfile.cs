using System.Text.RegularExpressions;

namespace Enrichment.Deploy.Tests;

/// <summary>The instructions of a Dockerfile (continuations joined, comments and parser directives dropped).</summary>
internal sealed record DockerInstruction(string Keyword, string Arguments, int Stage);

internal sealed class Dockerfile
{
    private Dockerfile(IReadOnlyList<DockerInstruction> instructions) => Instructions = instructions;

    public IReadOnlyList<DockerInstruction> Instructions { get; }

    public static Dockerfile Load(string path)
    {
        var instructions = new List<DockerInstruction>();
        var stage = -1;
        var pending = "";
        foreach (var raw in File.ReadAllLines(path))
        {
            var line = raw.TrimEnd();
            if (pending.Length == 0 && (line.TrimStart().StartsWith('#') || line.Trim().Length == 0))
            {
                continue;
            }
            if (line.EndsWith('\\'))
            {
                pending += line[..^1] + " ";
                continue;
            }
            var full = (pending + line).Trim();
            pending = "";
            var space = full.IndexOfAny([' ', '\t']);
            var keyword = (space < 0 ? full : full[..space]).ToUpperInvariant();
            var args = space < 0 ? "" : full[(space + 1)..].Trim();
            if (keyword == "FROM")
            {
                stage++;
            }
            instructions.Add(new DockerInstruction(keyword, args, stage));
        }
        return new Dockerfile(instructions);
    }

    public IEnumerable<DockerInstruction> All(string keyword) => Instructions.Where(i => i.Keyword == keyword);

    /// <summary>FROM images in stage order (with "AS name" removed).</summary>
    public IReadOnlyList<string> StageImages => All("FROM").Select(i => i.Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries)
        .First(t => !t.StartsWith("--"))).ToList();

    /// <summary>The sources of every COPY/ADD that reads from the build context (not --from=another stage).</summary>
    public IEnumerable<(DockerInstruction Instruction, string Source)> ContextSources()
    {
        foreach (var i in Instructions.Where(i => i.Keyword is "COPY" or "ADD"))
        {
            var tokens = Tokens(i.Arguments);
            if (tokens.Any(t => t.StartsWith("--from=", StringComparison.Ordinal)))
            {
                continue;
            }
            var paths = tokens.Where(t => !t.StartsWith("--", StringComparison.Ordinal)).ToList();
            foreach (var source in paths.Take(paths.Count - 1))
            {
                yield return (i, source);
            }
        }
    }

    /// <summary>Splits an instruction's arguments: the JSON array form or whitespace separated words.</summary>
    public static IReadOnlyList<string> Tokens(string arguments)
    {
        var trimmed = arguments.Trim();
        if (trimmed.StartsWith('[') && trimmed.EndsWith(']'))
        {
            return System.Text.Json.JsonSerializer.Deserialize<string[]>(trimmed)!;
        }
        return Regex.Split(trimmed, @"\s+").Where(t => t.Length > 0).ToList();
    }
}

/// <summary>
/// .dockerignore semantics (moby patternmatcher): patterns relative to the context root, '*' within a path segment,
/// '**' across segments, '!' re-includes, the last matching pattern wins, and a pattern matching a parent directory
/// matches everything below it.
/// </summary>
internal sealed class DockerIgnore
{
    private readonly List<(Regex Pattern, bool Exclude)> _patterns = [];

    public DockerIgnore(IEnumerable<string> lines)
    {
        foreach (var raw in lines)
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }
            var exclude = !line.StartsWith('!');
            var pattern = (exclude ? line : line[1..]).Trim().Replace('\\', '/').Trim('/');
            while (pattern.StartsWith("./", StringComparison.Ordinal))
            {
                pattern = pattern[2..];
            }
            _patterns.Add((new Regex("^" + ToRegex(pattern) + "$"), exclude));
        }
    }

    public static DockerIgnore Load(string contextDirectory)
    {
        var file = Path.Combine(contextDirectory, ".dockerignore");
        return new DockerIgnore(File.Exists(file) ? File.ReadAllLines(file) : []);
    }

    /// <summary>Whether a context-relative path (file or directory) is left out of the build context.</summary>
    public bool IsExcluded(string relativePath)
    {
        var path = relativePath.Replace('\\', '/').Trim('/');
        var parents = new List<string>();
        var segments = path.Split('/');
        for (var i = 1; i <= segments.Length; i++)
        {
            parents.Add(string.Join('/', segments.Take(i)));
        }
        var excluded = false;
        foreach (var (pattern, exclude) in _patterns)
        {
            if (parents.Any(p => pattern.IsMatch(p)))
            {
                excluded = exclude;
            }
        }
        return excluded;
    }

    private static string ToRegex(string pattern)
    {
        var sb = new System.Text.StringBuilder();
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '*' && i + 1 < pattern.Length && pattern[i + 1] == '*')
            {
                i++;
                if (i + 1 < pattern.Length && pattern[i + 1] == '/')
                {
                    i++;
                    sb.Append("(?:.*/)?");
                }
                else
                {
                    sb.Append(".*");
                }
            }
            else if (c == '*')
            {
                sb.Append("[^/]*");
            }
            else if (c == '?')
            {
                sb.Append("[^/]");
            }
            else
            {
                sb.Append(Regex.Escape(c.ToString()));
            }
        }
        return sb.ToString();
    }
}
