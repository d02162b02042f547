namespace Enrichment.Models;

/// <summary>
/// Class list for one attribute. Index 0 is always the explicit <see cref="Other"/> class: values seen
/// fewer than MinCount times in training (and unknown/missing values) map to it, so the long tail is
/// neither dropped nor allowed to dominate the softmax.
/// </summary>
public sealed class LabelMap
{
    public const string Other = "other";
    private readonly Dictionary<string, int> _index;

    public string Name { get; }
    public IReadOnlyList<string> Classes { get; }
    public int Count => Classes.Count;

    public LabelMap(string name, IReadOnlyList<string> classes)
    {
        if (classes.Count == 0 || classes[0] != Other) throw new ArgumentException("Class 0 must be 'other'.", nameof(classes));
        Name = name;
        Classes = classes.ToArray();
        _index = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (int i = 0; i < Classes.Count; i++) _index.TryAdd(Classes[i], i);
    }

    /// <summary>Frequent values (>= minCount, at most maxClasses of them, most frequent first) plus "other".</summary>
    public static LabelMap Build(string name, IEnumerable<string?> values, int minCount, int maxClasses = int.MaxValue)
    {
        var frequent = values
            .Where(v => !string.IsNullOrWhiteSpace(v) && !string.Equals(v, Other, StringComparison.OrdinalIgnoreCase))
            .GroupBy(v => v!, StringComparer.OrdinalIgnoreCase)
            .Select(g => (Value: g.Key, Count: g.Count()))
            .Where(g => g.Count >= minCount)
            .OrderByDescending(g => g.Count).ThenBy(g => g.Value, StringComparer.Ordinal)
            .Take(maxClasses)
            .Select(g => g.Value);
        return new LabelMap(name, new[] { Other }.Concat(frequent).ToArray());
    }

    public int IndexOf(string? value) => value is not null && _index.TryGetValue(value, out var i) ? i : 0;
}

/// <summary>The three attribute label maps of the multi-task model.</summary>
public sealed record LabelMaps(LabelMap Colour, LabelMap Brand, LabelMap Type);
