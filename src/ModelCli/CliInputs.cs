namespace Enrichment.ModelCli;

/// <summary>What a command reads from disk, checked before anything is loaded (no libtorch start, no decoding).</summary>
internal enum InputKind { File, Directory, FileOrDirectory }

/// <summary>
/// The CLI's answer to a wrong command line: one line on stderr naming what is wrong, and exit code 2 (a usage error;
/// 1 stays "ran, but something failed"), never a stack trace.
/// </summary>
internal static class CliInputs
{
    public const int UsageError = 2;

    /// <summary>Null when every named input exists; otherwise the exit code, after one line on stderr.</summary>
    public static int? Missing(string command, params (string What, string? Path, InputKind Kind)[] inputs)
    {
        foreach (var (what, path, kind) in inputs)
        {
            if (path is null)
            {
                continue;
            }
            var found = kind switch
            {
                InputKind.File => File.Exists(path),
                InputKind.Directory => Directory.Exists(path),
                _ => File.Exists(path) || Directory.Exists(path),
            };
            if (!found)
            {
                var noun = kind switch { InputKind.File => "file", InputKind.Directory => "folder", _ => "file or folder" };
                return Fail(command, $"{what} {noun} '{path}' not found");
            }
        }
        return null;
    }

    public static int Fail(string command, string message)
    {
        Console.Error.WriteLine($"fashion-models {command}: {message}");
        return UsageError;
    }
}
