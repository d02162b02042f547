using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace Enrichment.Models;

public sealed record ClassReport(string Label, int Support, double Precision, double Recall, double F1);

/// <summary>Top-1 / top-5 accuracy, per-class precision/recall and the confusion matrix of one head.</summary>
public sealed class ClassificationMetrics
{
    private readonly long[,] _confusion; // [actual, predicted]
    private readonly List<ScoredPrediction> _scored = [];
    public IReadOnlyList<string> Labels { get; }
    public long Total { get; private set; }
    public long Top5Correct { get; private set; }

    public ClassificationMetrics(IReadOnlyList<string> labels)
    {
        Labels = labels;
        _confusion = new long[labels.Count, labels.Count];
    }

    public long this[int actual, int predicted] => _confusion[actual, predicted];

    /// <summary>Every prediction added: its top-1 confidence and whether it was right (for calibration and thresholds).</summary>
    public IReadOnlyList<ScoredPrediction> Scored => _scored;

    public double Top1 => Total == 0 ? 0 : (double)Enumerable.Range(0, Labels.Count).Sum(i => _confusion[i, i]) / Total;
    public double Top5 => Total == 0 ? 0 : (double)Top5Correct / Total;

    public void Add(Tensor logits, Tensor targets)
    {
        using var scope = NewDisposeScope();
        int k = (int)Math.Min(5, logits.shape[1]);
        var top = logits.topk(k, dim: 1).indexes.cpu();
        var t = targets.cpu().data<long>().ToArray();
        var topArr = top.data<long>().ToArray();
        var confidence = softmax(logits, 1).max(1).values.cpu().data<float>().ToArray();
        for (int i = 0; i < t.Length; i++)
        {
            _confusion[t[i], topArr[i * k]]++;
            _scored.Add(new ScoredPrediction(confidence[i], topArr[i * k] == t[i]));
            for (int j = 0; j < k; j++)
                if (topArr[i * k + j] == t[i]) { Top5Correct++; break; }
        }
        Total += t.Length;
    }

    public IReadOnlyList<ClassReport> PerClass()
    {
        int n = Labels.Count;
        var reports = new List<ClassReport>(n);
        for (int c = 0; c < n; c++)
        {
            long tp = _confusion[c, c], support = 0, predicted = 0;
            for (int j = 0; j < n; j++) { support += _confusion[c, j]; predicted += _confusion[j, c]; }
            double p = predicted == 0 ? 0 : (double)tp / predicted, r = support == 0 ? 0 : (double)tp / support;
            reports.Add(new ClassReport(Labels[c], (int)support, p, r, p + r == 0 ? 0 : 2 * p * r / (p + r)));
        }
        return reports;
    }

    /// <summary>The largest off-diagonal cells: (actual, predicted, count).</summary>
    public IReadOnlyList<(string Actual, string Predicted, long Count)> TopConfusions(int count)
    {
        var cells = new List<(string, string, long)>();
        for (int a = 0; a < Labels.Count; a++)
            for (int p = 0; p < Labels.Count; p++)
                if (a != p && _confusion[a, p] > 0) cells.Add((Labels[a], Labels[p], _confusion[a, p]));
        return cells.OrderByDescending(c => c.Item3).Take(count).ToArray();
    }

    /// <summary>Full confusion matrix as CSV (rows = actual, columns = predicted).</summary>
    public void WriteConfusionCsv(string path)
    {
        using var w = new StreamWriter(path);
        w.WriteLine("actual\\predicted," + string.Join(',', Labels.Select(Quote)));
        for (int a = 0; a < Labels.Count; a++)
            w.WriteLine(Quote(Labels[a]) + "," + string.Join(',', Enumerable.Range(0, Labels.Count).Select(p => _confusion[a, p])));
    }

    private static string Quote(string s) => "\"" + s.Replace("\"", "\"\"") + "\"";
}
