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
        return await root.Parse(args).InvokeAsync();
    }
}
