namespace Enrichment.Models;

/// <param name="Limit">Optional cap on catalogue rows (a seeded random subset taken before splitting) for quick runs.</param>
public sealed record SplitOptions(int Seed = 42, double ValidFraction = 0.1, double TestFraction = 0.1, int? Limit = null);

/// <summary>Deterministic train/valid/test split, stratified by a key (the article type) so that every
/// class keeps its proportion in every part. Same rows + same seed => same split, on any machine.</summary>
public sealed record DatasetSplit(IReadOnlyList<CatalogRow> Train, IReadOnlyList<CatalogRow> Valid, IReadOnlyList<CatalogRow> Test)
{
    public static DatasetSplit Create(IReadOnlyList<CatalogRow> rows, SplitOptions options, Func<CatalogRow, string>? stratifyBy = null)
    {
        stratifyBy ??= r => r.ArticleType;
        var rng = new Random(options.Seed);
        if (options.Limit is int limit && limit < rows.Count)
        {
            var all = rows.OrderBy(r => r.Id).ToArray();
            rng.Shuffle(all);
            rows = all.Take(limit).ToArray();
        }
        List<CatalogRow> train = new(), valid = new(), test = new();
        // Sort groups and members so the result does not depend on input order.
        foreach (var group in rows.GroupBy(stratifyBy).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var members = group.OrderBy(r => r.Id).ToArray();
            rng.Shuffle(members);
            int nValid = (int)Math.Round(members.Length * options.ValidFraction);
            int nTest = (int)Math.Round(members.Length * options.TestFraction);
            if (nValid + nTest >= members.Length) { nValid = 0; nTest = 0; } // tiny classes: training only
            valid.AddRange(members.Take(nValid));
            test.AddRange(members.Skip(nValid).Take(nTest));
            train.AddRange(members.Skip(nValid + nTest));
        }
        return new DatasetSplit(train, valid, test);
    }

    public IReadOnlyList<CatalogRow> Part(string name) => name.ToLowerInvariant() switch
    {
        "train" => Train,
        "valid" or "validation" => Valid,
        "test" => Test,
        _ => throw new ArgumentException($"Unknown split '{name}' (train|valid|test)."),
    };
}
