namespace Enrichment.Models;

/// <summary>Corpus BLEU (Papineni et al. 2002): clipped n-gram precisions pooled over the corpus, geometric
/// mean of orders 1..N with uniform weights, times the brevity penalty. One reference per candidate.</summary>
public sealed class Bleu
{
    private const int MaxOrder = 4;
    private readonly long[] _matches = new long[MaxOrder], _totals = new long[MaxOrder];
    private long _candidateLength, _referenceLength;

    public int Count { get; private set; }

    public void Add(IReadOnlyList<string> candidate, IReadOnlyList<string> reference)
    {
        Count++;
        _candidateLength += candidate.Count;
        _referenceLength += reference.Count;
        for (int n = 1; n <= MaxOrder; n++)
        {
            var refCounts = NGrams(reference, n);
            foreach (var (gram, count) in NGrams(candidate, n))
                _matches[n - 1] += Math.Min(count, refCounts.GetValueOrDefault(gram));
            _totals[n - 1] += Math.Max(0, candidate.Count - n + 1);
        }
    }

    /// <summary>BLEU-n in [0, 1] (n = 1..4).</summary>
    public double Score(int order)
    {
        if (order is < 1 or > MaxOrder) throw new ArgumentOutOfRangeException(nameof(order));
        if (_candidateLength == 0) return 0;
        double logSum = 0;
        for (int n = 0; n < order; n++)
        {
            if (_matches[n] == 0 || _totals[n] == 0) return 0;
            logSum += Math.Log((double)_matches[n] / _totals[n]);
        }
        double bp = _candidateLength >= _referenceLength ? 1 : Math.Exp(1 - (double)_referenceLength / _candidateLength);
        return bp * Math.Exp(logSum / order);
    }

    private static Dictionary<string, int> NGrams(IReadOnlyList<string> words, int n)
    {
        var d = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i + n <= words.Count; i++)
        {
            var key = string.Join('\u0001', words.Skip(i).Take(n));
            d[key] = d.GetValueOrDefault(key) + 1;
        }
        return d;
    }
}
