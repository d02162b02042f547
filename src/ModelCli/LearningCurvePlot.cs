using Enrichment.Models;
using ScottPlot;

namespace Enrichment.ModelCli;

/// <summary>Learning curve with ScottPlot: training loss per iteration (smoothed) on the left axis, type and
/// colour accuracy (training running mean, validation per epoch) on the right axis.</summary>
internal static class LearningCurvePlot
{
    public static void Write(IReadOnlyList<TrainingLogEntry> entries, string pngPath)
    {
        var train = entries.Where(e => e.Kind == "train").ToList();
        var valid = entries.Where(e => e.Kind == "valid").ToList();
        var plot = new Plot();
        plot.Title("Learning curve");
        plot.XLabel("iteration");
        plot.Axes.Left.Label.Text = "training loss";
        plot.Axes.Right.Label.Text = "accuracy";

        Series(plot, train, e => e.Loss, 50, "loss (train, smoothed)", Colors.Navy, right: false);
        Series(plot, train, e => e.TypeAccuracy, 100, "type (train)", Colors.Orange, right: true);
        Series(plot, train, e => e.ColourAccuracy, 100, "colour (train)", Colors.LightGreen, right: true);
        Series(plot, valid, e => e.TypeAccuracy, 1, "type (valid)", Colors.OrangeRed, right: true, markers: true);
        Series(plot, valid, e => e.ColourAccuracy, 1, "colour (valid)", Colors.DarkGreen, right: true, markers: true);
        plot.Axes.SetLimitsY(0, 1, plot.Axes.Right);
        plot.ShowLegend(Alignment.UpperCenter);

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(pngPath))!);
        plot.SavePng(pngPath, 1200, 600);
    }

    private static void Series(Plot plot, List<TrainingLogEntry> entries, Func<TrainingLogEntry, double> value, int window,
                               string label, Color colour, bool right, bool markers = false)
    {
        if (entries.Count == 0)
        {
            return;
        }
        var xs = entries.Select(e => (double)e.Iteration).ToArray();
        var ys = MovingAverage(entries.Select(value).ToArray(), window);
        var scatter = plot.Add.Scatter(xs, ys, colour);
        scatter.LegendText = label;
        scatter.LineWidth = markers ? 2 : 1.5f;
        scatter.MarkerSize = markers ? 7 : 0;
        if (right)
        {
            scatter.Axes.YAxis = plot.Axes.Right;
        }
    }

    /// <summary>Trailing mean: per-iteration values of small batches are too noisy to read.</summary>
    private static double[] MovingAverage(double[] values, int window)
    {
        var result = new double[values.Length];
        double sum = 0;
        for (var i = 0; i < values.Length; i++)
        {
            sum += values[i];
            if (i >= window)
            {
                sum -= values[i - window];
            }
            result[i] = sum / Math.Min(i + 1, window);
        }
        return result;
    }
}
