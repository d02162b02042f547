using Enrichment.Models;
using SkiaSharp;

namespace Enrichment.ModelCli;

/// <summary>Two-panel learning curve drawn directly with SkiaSharp (no plotting dependency):
/// left = training loss per iteration (plus a moving average), right = accuracy (train running
/// per-epoch average and validation per epoch) for type and colour.</summary>
internal static class LearningCurvePlot
{
    private const int W = 1400, H = 560, Margin = 60;

    public static void Write(IReadOnlyList<TrainingLogEntry> entries, string pngPath)
    {
        var train = entries.Where(e => e.Kind == "train").ToList();
        var valid = entries.Where(e => e.Kind == "valid").ToList();
        using var surface = SKSurface.Create(new SKImageInfo(W, H));
        var c = surface.Canvas;
        c.Clear(SKColors.White);
        long maxIter = Math.Max(1, entries.Max(e => e.Iteration));

        var left = new SKRect(Margin, 40, W / 2 - 20, H - Margin);
        var right = new SKRect(W / 2 + Margin, 40, W - 20, H - Margin);
        double maxLoss = train.Count == 0 ? 1 : train.Max(e => e.Loss);
        Axes(c, left, "iteration", "training loss", 0, maxIter, 0, maxLoss);
        Line(c, left, train.Select(e => ((double)e.Iteration, e.Loss)).ToList(), 0, maxIter, 0, maxLoss, new SKColor(180, 180, 230), 1);
        Line(c, left, MovingAverage(train.Select(e => ((double)e.Iteration, e.Loss)).ToList(), 50), 0, maxIter, 0, maxLoss, SKColors.Navy, 2);

        Axes(c, right, "iteration", "accuracy", 0, maxIter, 0, 1);
        var trainType = MovingAverage(train.Select(e => ((double)e.Iteration, e.TypeAccuracy)).ToList(), 100);
        var trainColour = MovingAverage(train.Select(e => ((double)e.Iteration, e.ColourAccuracy)).ToList(), 100);
        Line(c, right, trainType, 0, maxIter, 0, 1, new SKColor(255, 160, 120), 1.5f);
        Line(c, right, trainColour, 0, maxIter, 0, 1, new SKColor(120, 200, 120), 1.5f);
        Line(c, right, valid.Select(e => ((double)e.Iteration, e.TypeAccuracy)).ToList(), 0, maxIter, 0, 1, SKColors.OrangeRed, 3, markers: true);
        Line(c, right, valid.Select(e => ((double)e.Iteration, e.ColourAccuracy)).ToList(), 0, maxIter, 0, 1, SKColors.DarkGreen, 3, markers: true);
        Legend(c, right, new[] { ("type (train)", new SKColor(255, 160, 120)), ("colour (train)", new SKColor(120, 200, 120)), ("type (valid)", SKColors.OrangeRed), ("colour (valid)", SKColors.DarkGreen) });

        using var image = surface.Snapshot();
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(pngPath))!);
        using var f = File.Create(pngPath);
        data.SaveTo(f);
    }

    private static List<(double, double)> MovingAverage(List<(double X, double Y)> pts, int window)
    {
        var result = new List<(double, double)>(pts.Count);
        double sum = 0;
        for (int i = 0; i < pts.Count; i++)
        {
            sum += pts[i].Y;
            if (i >= window) sum -= pts[i - window].Y;
            result.Add((pts[i].X, sum / Math.Min(i + 1, window)));
        }
        return result;
    }

    private static void Axes(SKCanvas c, SKRect r, string xLabel, string yLabel, double x0, double x1, double y0, double y1)
    {
        using var axis = new SKPaint { Color = SKColors.Black, StrokeWidth = 1.5f, IsAntialias = true, Style = SKPaintStyle.Stroke };
        using var grid = new SKPaint { Color = new SKColor(230, 230, 230), StrokeWidth = 1, Style = SKPaintStyle.Stroke };
        using var font = new SKFont(SKTypeface.Default, 13);
        using var text = new SKPaint { Color = SKColors.Black, IsAntialias = true };
        for (int i = 0; i <= 5; i++)
        {
            float y = r.Bottom - i * r.Height / 5, x = r.Left + i * r.Width / 5;
            c.DrawLine(r.Left, y, r.Right, y, grid);
            c.DrawText((y0 + i * (y1 - y0) / 5).ToString("G3"), r.Left - 45, y + 4, font, text);
            c.DrawText((x0 + i * (x1 - x0) / 5).ToString("F0"), x - 10, r.Bottom + 18, font, text);
        }
        c.DrawRect(r, axis);
        c.DrawText(xLabel, r.MidX - 30, r.Bottom + 40, font, text);
        c.DrawText(yLabel, r.Left, r.Top - 12, font, text);
    }

    private static void Line(SKCanvas c, SKRect r, IReadOnlyList<(double X, double Y)> pts, double x0, double x1, double y0, double y1, SKColor color, float width, bool markers = false)
    {
        if (pts.Count == 0) return;
        using var paint = new SKPaint { Color = color, StrokeWidth = width, IsAntialias = true, Style = SKPaintStyle.Stroke };
        using var path = new SKPath();
        for (int i = 0; i < pts.Count; i++)
        {
            float x = r.Left + (float)((pts[i].X - x0) / (x1 - x0)) * r.Width;
            float y = r.Bottom - (float)((Math.Clamp(pts[i].Y, y0, y1) - y0) / (y1 - y0)) * r.Height;
            if (i == 0) path.MoveTo(x, y); else path.LineTo(x, y);
            if (markers) c.DrawCircle(x, y, 4, paint);
        }
        c.DrawPath(path, paint);
    }

    private static void Legend(SKCanvas c, SKRect r, (string Label, SKColor Color)[] items)
    {
        using var font = new SKFont(SKTypeface.Default, 13);
        for (int i = 0; i < items.Length; i++)
        {
            using var p = new SKPaint { Color = items[i].Color, StrokeWidth = 3, IsAntialias = true };
            float y = r.Bottom - 20 - i * 18;
            c.DrawLine(r.Right - 150, y - 4, r.Right - 125, y - 4, p);
            using var t = new SKPaint { Color = SKColors.Black, IsAntialias = true };
            c.DrawText(items[i].Label, r.Right - 118, y, font, t);
        }
    }
}
