using Enrichment.Models;
using Spectre.Console;

namespace Enrichment.ModelCli.Commands;

/// <summary>Spectre progress bar on a terminal; plain periodic lines when output is redirected (log files).</summary>
internal static class ProgressView
{
    public static TrainingResult Run(Func<IProgress<TrainingProgress>, TrainingResult> train)
    {
        if (Console.IsOutputRedirected || !AnsiConsole.Profile.Capabilities.Interactive)
            return train(new PlainProgress());
        TrainingResult? result = null;
        AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask("training");
                result = train(new SyncProgress(p =>
                {
                    if (p.Phase == TrainingPhase.Training)
                    {
                        task.MaxValue = (double)p.IterationsPerEpoch * p.Epochs;
                        task.Value = (double)(p.Epoch - 1) * p.IterationsPerEpoch + p.Iteration;
                        task.Description = $"epoch {p.Epoch}/{p.Epochs} loss {p.Loss:F3} type {p.TypeAccuracy:P1} colour {p.ColourAccuracy:P1} lr {p.LearningRate:G3}";
                    }
                    else if (p.ValidationScore is double s && p.Phase == TrainingPhase.Validating)
                        AnsiConsole.MarkupLine($"epoch {p.Epoch}: valid type {p.TypeAccuracy:P2} colour {p.ColourAccuracy:P2} (score {s:P2}) next lr {p.LearningRate:G3}");
                }));
                task.Value = task.MaxValue;
            });
        return result!;
    }

    /// <summary>Progress&lt;T&gt; would post to the thread pool; we want reports inline and ordered.</summary>
    private sealed class SyncProgress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }

    private sealed class PlainProgress : IProgress<TrainingProgress>
    {
        private DateTime _last = DateTime.MinValue;
        public void Report(TrainingProgress p)
        {
            if (p.Phase == TrainingPhase.Training && (DateTime.UtcNow - _last).TotalSeconds >= 30)
            {
                _last = DateTime.UtcNow;
                Console.WriteLine($"[{p.Elapsed:hh\\:mm\\:ss}] epoch {p.Epoch}/{p.Epochs} it {p.Iteration}/{p.IterationsPerEpoch} loss {p.Loss:F4} type {p.TypeAccuracy:P1} colour {p.ColourAccuracy:P1} lr {p.LearningRate:G3} eta {p.Eta:hh\\:mm\\:ss}");
            }
            else if (p.Phase == TrainingPhase.Validating && p.ValidationScore is double s)
                Console.WriteLine($"[{p.Elapsed:hh\\:mm\\:ss}] epoch {p.Epoch}: valid type {p.TypeAccuracy:P2} colour {p.ColourAccuracy:P2} score {s:P2}; next lr {p.LearningRate:G3}");
        }
    }
}
