using System.CommandLine;

namespace Enrichment.Silo.Hosting;

/// <summary>
/// The silo's command line (System.CommandLine, like the client and model CLIs): --help, typed switches, and an error
/// with a non-zero exit for anything it does not know, so a typo such as --acclerator never starts a silo that
/// silently ignored it. Parsed switches become configuration keys, above appsettings.json and ENRICHMENT_* variables.
/// </summary>
public sealed class SiloCommand
{
    /// <summary>Process exit codes, listed in --help.</summary>
    public static class ExitCodes
    {
        public const int Stopped = 0;
        public const int UsageError = 1;
        public const int Refused = 2;
    }

    private static readonly Dictionary<string, string> Descriptions = new()
    {
        ["--postgres"] = "PostgreSQL connection string (clustering + storage); omit for the embedded localhost cluster with in-memory storage",
        ["--cluster-id"] = "Orleans cluster id",
        ["--silo-port"] = "Silo-to-silo port (default 11111)",
        ["--gateway-port"] = "Client gateway port (default 30000)",
        ["--primary-silo-port"] = "Primary silo's port, localhost clustering only (default 11111)",
        ["--accelerator"] = "cuda or cpu: this silo hosts model grains on that device; omit to host products only",
        ["--advertised-address"] = "Address other silos and clients reach this silo at: an IP, a host name or auto (PostgreSQL clustering)",
        ["--model"] = "Checkpoint folder published as the first model version when the cluster has none",
        ["--model-cache"] = "Folder where downloaded model versions are cached",
        ["--metrics-port"] = "Serve Prometheus metrics on http://127.0.0.1:PORT/metrics (0 = off)",
        ["--health-port"] = "Serve http://127.0.0.1:PORT/healthz/live and /healthz/ready (0 = off); ready = active in the cluster and, with an accelerator, a model loaded",
    };

    private static readonly HashSet<string> IntegerSwitches = ["--silo-port", "--gateway-port", "--primary-silo-port", "--metrics-port", "--health-port"];

    private readonly RootCommand _root = new((SiloRole.ServesModels
        ? "Enrichment.Orleans silo: hosts products, search, model serving and training. "
        : "Enrichment.Orleans products-only silo (SiloRole=Products): hosts products, search and photos; no model serving. ") +
        $"Exit codes: {ExitCodes.Stopped} stopped, {ExitCodes.UsageError} bad command line, {ExitCodes.Refused} configuration refused " +
        "(invalid options, port in use). Every option is also configuration: appsettings.json or ENRICHMENT_Section__Key.");
    private readonly List<(Func<ParseResult, string?> Value, string Key)> _switches = new();
    private readonly Option<string[]> _set = new("--set")
    {
        Description = "Any other configuration key, as Section:Key=value (repeatable), e.g. --set Enrichment:Models:Batching:MaxBatchSize=16",
    };

    private SiloCommand()
    {
        foreach (var (name, key) in SiloCommandLine.SwitchMappings)
        {
            var description = Descriptions.GetValueOrDefault(name);
            if (IntegerSwitches.Contains(name))
            {
                var option = new Option<int?>(name) { Description = description };
                _root.Options.Add(option);
                _switches.Add((parsed => parsed.GetValue(option)?.ToString(System.Globalization.CultureInfo.InvariantCulture), key));
            }
            else
            {
                var option = new Option<string?>(name) { Description = description };
                _root.Options.Add(option);
                _switches.Add((parsed => parsed.GetValue(option), key));
            }
        }
        _root.Options.Add(_set);
    }

    /// <summary>
    /// The configuration the command line sets, or the exit code when the process should stop here: after --help or
    /// --version (0), or after printing a command-line error (1).
    /// </summary>
    public static (IDictionary<string, string?> Configuration, int? ExitCode) Parse(string[] args)
    {
        var command = new SiloCommand();
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        var run = false;
        command._root.SetAction(parsed =>
        {
            if (command.BadSetting(parsed) is { } bad)
            {
                Console.Error.WriteLine($"--set expects Section:Key=value, got '{bad}'");
                return ExitCodes.UsageError;
            }
            command.Collect(parsed, values);
            run = true;
            return ExitCodes.Stopped;
        });
        var exit = command._root.Parse(args).Invoke();
        return run ? (values, null) : (values, exit);
    }

    private void Collect(ParseResult parsed, Dictionary<string, string?> values)
    {
        foreach (var (value, key) in _switches)
        {
            if (value(parsed) is { } given)
            {
                values[key] = given;
            }
        }
        foreach (var setting in parsed.GetValue(_set) ?? [])
        {
            var eq = setting.IndexOf('=');
            values[setting[..eq].Trim()] = setting[(eq + 1)..];
        }
    }

    private string? BadSetting(ParseResult parsed) => (parsed.GetValue(_set) ?? []).FirstOrDefault(s => s.IndexOf('=') <= 0);
}
