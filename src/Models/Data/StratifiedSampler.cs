namespace Enrichment.Models;

/// <summary>
/// Epoch orders that spread every class evenly over the epoch, so each mini-batch is a stratified sample.
/// Power 1 keeps the natural class frequencies; power &lt; 1 tempers the long tail (class c is drawn
/// proportionally to n_c^power, rare classes repeat), power 0 is class-balanced.
/// </summary>
public sealed class StratifiedSampler
{
    private readonly int[][] _byClass;
    private readonly int _seed;
    public double Power { get; }
    public int EpochSize { get; }

    public StratifiedSampler(IReadOnlyList<int> labels, double power = 1.0, int seed = 42)
    {
        Power = power;
        _seed = seed;
        _byClass = labels.Select((l, i) => (l, i)).GroupBy(x => x.l).OrderBy(g => g.Key).Select(g => g.Select(x => x.i).ToArray()).ToArray();
        EpochSize = labels.Count;
    }

    public int[] EpochOrder(int epoch)
    {
        var rng = new Random(HashCode.Combine(_seed, epoch));
        double total = _byClass.Sum(c => Math.Pow(c.Length, Power));
        var keyed = new List<(double Key, int Index)>(EpochSize);
        foreach (var members in _byClass)
        {
            int draws = Power == 1.0 ? members.Length : Math.Max(1, (int)Math.Round(EpochSize * Math.Pow(members.Length, Power) / total));
            var shuffled = members.ToArray();
            rng.Shuffle(shuffled);
            for (int j = 0; j < draws; j++)
                keyed.Add(((j + rng.NextDouble()) / draws, shuffled[j % shuffled.Length]));
        }
        keyed.Sort((a, b) => a.Key.CompareTo(b.Key));
        return keyed.Select(k => k.Index).ToArray();
    }
}
