using System.CommandLine;
using Enrichment.ModelCli.Commands;

namespace Enrichment.ModelCli;

public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var root = new RootCommand("Fashion model library: train, test, plot and annotate (TorchSharp, CPU by default).");
        root.Subcommands.Add(TrainCommand.Create());
        root.Subcommands.Add(TestCommand.Create());
        root.Subcommands.Add(CalibrateCommand.Create());
        root.Subcommands.Add(PlotCommand.Create());
        root.Subcommands.Add(AnnotateCommand.Create());
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0 && parsed.Action is not System.CommandLine.Help.HelpAction)
        {
            // A wrong command line is a usage error: one line per mistake and exit 2, as for a missing input.
            foreach (var error in parsed.Errors)
            {
                Console.Error.WriteLine($"fashion-models: {string.Join(' ', error.Message.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))}");
            }
            Console.Error.WriteLine("fashion-models: --help lists the commands and their options");
            return CliInputs.UsageError;
        }
        try
        {
            return await parsed.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            // An input that exists but lacks what it should hold (a checkpoint folder without its manifest).
            Console.Error.WriteLine($"fashion-models: {e.Message}");
            return CliInputs.UsageError;
        }
    }
}
