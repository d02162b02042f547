namespace Enrichment.Models;

/// <summary>
/// Derives a brand from productDisplayName with a lexicon learned from the catalogue.
/// Rule (case-insensitive, whitespace-tokenised):
///  1. The first word must start at least <see cref="MinCount"/> names, otherwise there is no brand.
///  2. Extend the prefix one word at a time (up to 4 words) while the next word is not a gender/audience
///     word (men, women, unisex, boys, girls, kids, ...) and the longer prefix still covers at least
///     <see cref="KeepRatio"/> of the names that start with the shorter one — i.e. the continuation is
///     (almost) fixed, as in "United Colors of Benetton", but not "Nike Men" vs "Nike Women".
///  3. The lexicon is the set of prefixes produced this way; a name's brand is its longest lexicon prefix.
/// The displayed form is the most frequent original spelling (e.g. "ADIDAS", "Puma").
/// </summary>
public sealed class BrandRule
{
    public const int MaxWords = 4;
    private static readonly HashSet<string> StopWords = new(StringComparer.Ordinal)
    {
        "men", "mens", "men's", "women", "womens", "women's", "unisex", "boys", "boy", "girls", "girl",
        "kids", "kid", "infant", "infants", "baby", "babies", "teen", "teens", "men-women", "and", "&",
    };

    private readonly Dictionary<string, string> _lexicon; // normalised prefix -> display form

    public int MinCount { get; }
    public double KeepRatio { get; }
    public IReadOnlyDictionary<string, string> Lexicon => _lexicon;

    public BrandRule(IReadOnlyDictionary<string, string> lexicon, int minCount, double keepRatio)
    {
        _lexicon = new Dictionary<string, string>(lexicon, StringComparer.Ordinal);
        MinCount = minCount;
        KeepRatio = keepRatio;
    }

    public static BrandRule Learn(IEnumerable<string> displayNames, int minCount = 20, double keepRatio = 0.9)
    {
        var names = displayNames.Select(n => n.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Where(w => w.Length > 0).ToList();
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var words in names)
            for (int k = 1; k <= Math.Min(MaxWords, words.Length); k++)
            {
                var key = Normalise(words, k);
                counts[key] = counts.GetValueOrDefault(key) + 1;
            }

        var spellings = new Dictionary<string, Dictionary<string, int>>(StringComparer.Ordinal);
        foreach (var words in names)
        {
            int k = BrandLength(words, counts, minCount, keepRatio);
            if (k == 0) continue;
            var key = Normalise(words, k);
            var raw = string.Join(' ', words.Take(k));
            if (!spellings.TryGetValue(key, out var s)) spellings[key] = s = new Dictionary<string, int>(StringComparer.Ordinal);
            s[raw] = s.GetValueOrDefault(raw) + 1;
        }
        var lexicon = spellings.ToDictionary(
            kv => kv.Key,
            kv => kv.Value.OrderByDescending(x => x.Value).ThenBy(x => x.Key, StringComparer.Ordinal).First().Key,
            StringComparer.Ordinal);
        return new BrandRule(lexicon, minCount, keepRatio);
    }

    /// <summary>The brand's display form, or null when the name starts with no known brand.</summary>
    public string? Extract(string displayName)
    {
        var words = displayName.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        for (int k = Math.Min(MaxWords, words.Length); k >= 1; k--)
            if (_lexicon.TryGetValue(Normalise(words, k), out var display)) return display;
        return null;
    }

    private static int BrandLength(string[] words, Dictionary<string, int> counts, int minCount, double keepRatio)
    {
        if (IsStopWord(words[0]) || counts.GetValueOrDefault(Normalise(words, 1)) < minCount) return 0;
        int k = 1;
        while (k < Math.Min(MaxWords, words.Length) && !IsStopWord(words[k]))
        {
            int shorter = counts[Normalise(words, k)], longer = counts.GetValueOrDefault(Normalise(words, k + 1));
            if (longer < minCount || longer < keepRatio * shorter) break;
            k++;
        }
        return k;
    }

    private static bool IsStopWord(string w) => StopWords.Contains(w.ToLowerInvariant());

    private static string Normalise(string[] words, int k) => string.Join(' ', words.Take(k)).ToLowerInvariant();
}
