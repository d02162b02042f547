namespace Enrichment.Models;

/// <summary>Caption vocabulary built from productDisplayName: lower-cased whitespace tokens.</summary>
public sealed class Vocabulary
{
    public const int Pad = 0, Start = 1, End = 2, Unknown = 3;
    public static readonly string[] Specials = { "<pad>", "<s>", "</s>", "<unk>" };
    private readonly Dictionary<string, int> _index;

    public IReadOnlyList<string> Tokens { get; }
    public int Count => Tokens.Count;

    public Vocabulary(IReadOnlyList<string> tokens)
    {
        if (tokens.Count < Specials.Length || !tokens.Take(Specials.Length).SequenceEqual(Specials))
            throw new ArgumentException("Vocabulary must start with <pad>, <s>, </s>, <unk>.", nameof(tokens));
        Tokens = tokens.ToArray();
        _index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < Tokens.Count; i++) _index.TryAdd(Tokens[i], i);
    }

    public static Vocabulary Build(IEnumerable<string> texts, int minCount = 3, int maxSize = 10_000)
    {
        var words = texts.SelectMany(Tokenize)
            .GroupBy(w => w, StringComparer.Ordinal)
            .Select(g => (Word: g.Key, Count: g.Count()))
            .Where(g => g.Count >= minCount)
            .OrderByDescending(g => g.Count).ThenBy(g => g.Word, StringComparer.Ordinal)
            .Take(maxSize - Specials.Length)
            .Select(g => g.Word);
        return new Vocabulary(Specials.Concat(words).ToArray());
    }

    public static IEnumerable<string> Tokenize(string text) =>
        text.ToLowerInvariant().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Token ids without &lt;s&gt;/&lt;/s&gt;, truncated to maxTokens.</summary>
    public int[] Encode(string text, int maxTokens) =>
        Tokenize(text).Take(maxTokens).Select(w => _index.TryGetValue(w, out var i) ? i : Unknown).ToArray();

    /// <summary>Joins tokens up to the first &lt;/s&gt;, skipping padding and &lt;s&gt; (and &lt;unk&gt; when asked:
    /// product captions shown to users should not contain it; BLEU keeps it so it counts as a miss).</summary>
    public string Decode(IEnumerable<long> ids, bool skipUnknown = false)
    {
        var words = new List<string>();
        foreach (var id in ids)
        {
            if (id == End) break;
            if (id is Pad or Start || (skipUnknown && id == Unknown)) continue;
            words.Add(id >= 0 && id < Tokens.Count ? Tokens[(int)id] : Specials[Unknown]);
        }
        return string.Join(' ', words);
    }
}
