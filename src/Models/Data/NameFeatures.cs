using System.Globalization;
using System.Text;

namespace Enrichment.Models;

/// <summary>
/// The product name as the text branch sees it (fastText-style): lower-cased words and word bigrams, each hashed
/// (FNV-1a, stable across processes and platforms) into one of <c>buckets - 1</c> embedding rows; row 0 is padding,
/// so an absent or empty name is an empty bag. No vocabulary to ship or keep in sync: an unseen word still lands
/// in a bucket, and the same name always gives the same features.
/// </summary>
public static class NameFeatures
{
    public const int Padding = 0;

    /// <summary>Bucket ids of the name's words then bigrams, at most <paramref name="maxFeatures"/>; empty for a
    /// missing name.</summary>
    public static int[] Encode(string? name, int buckets, int maxFeatures)
    {
        if (buckets < 2) throw new ArgumentOutOfRangeException(nameof(buckets), buckets, "The text branch needs at least 2 buckets.");
        if (string.IsNullOrWhiteSpace(name) || maxFeatures <= 0) return [];
        var words = Words(name);
        var features = new List<int>(Math.Min(maxFeatures, 2 * words.Count));
        foreach (var w in words)
        {
            if (features.Count == maxFeatures) return features.ToArray();
            features.Add(Bucket("w:" + w, buckets));
        }
        for (int i = 1; i < words.Count && features.Count < maxFeatures; i++)
            features.Add(Bucket("b:" + words[i - 1] + " " + words[i], buckets));
        return features.ToArray();
    }

    /// <summary>Lower-cased runs of letters and digits ("Navy-Blue T-shirt" -> navy, blue, t, shirt).</summary>
    public static List<string> Words(string name)
    {
        var words = new List<string>();
        var current = new StringBuilder();
        foreach (var c in name.Normalize(NormalizationForm.FormC))
        {
            if (char.IsLetterOrDigit(c)) current.Append(char.ToLower(c, CultureInfo.InvariantCulture));
            else if (current.Length > 0) { words.Add(current.ToString()); current.Clear(); }
        }
        if (current.Length > 0) words.Add(current.ToString());
        return words;
    }

    private static int Bucket(string feature, int buckets)
    {
        uint hash = 2166136261;
        foreach (var b in Encoding.UTF8.GetBytes(feature)) { hash ^= b; hash *= 16777619; }
        return 1 + (int)(hash % (uint)(buckets - 1));
    }
}
