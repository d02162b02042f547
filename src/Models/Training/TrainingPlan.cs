namespace Enrichment.Models;

/// <summary>
/// Every choice one training run makes, with one set of defaults: the model CLI and the cluster's training job both
/// fill a plan and hand it to <see cref="TrainingPipeline"/>, so neither can train with rules the other does not.
/// </summary>
public sealed record TrainingPlan
{
    public ModelOptions Model { get; init; } = new();
    public TrainerOptions Trainer { get; init; } = new();
    public SplitOptions Split { get; init; } = new();

    /// <summary>Classes (type, colour, brand) with fewer training rows map to "other".</summary>
    public int MinClassCount { get; init; } = 100;

    /// <summary>Caption words seen fewer times become &lt;unk&gt;.</summary>
    public int MinWordCount { get; init; } = 5;

    /// <summary>"cpu", "cuda", "cuda:N", or null for the best available.</summary>
    public string? Device { get; init; }

    /// <summary>
    /// A checkpoint to start from instead of fresh weights (a second schedule on the same rows: the label spaces,
    /// learnt again from the same training split, must match, and the weights load strictly).
    /// </summary>
    public string? InitialCheckpoint { get; init; }

    /// <summary>
    /// A brand-lexicon entry needs a fifth of a class's rows (20 at the library's 100), at least 2, so a small
    /// catalogue's rarer brands still name their products.
    /// </summary>
    /// <summary>
    /// A minimum class size that fits the catalogue: half the training share of the smallest class among those that
    /// together hold 90 % of the rows, between 2 and the library's 20, so a small catalogue keeps its classes instead
    /// of collapsing into "other".
    /// </summary>
    public static int MinClassCountFor(IReadOnlyList<CatalogRow> rows, SplitOptions split)
    {
        var counts = rows.GroupBy(r => r.ArticleType).Select(g => g.Count()).OrderByDescending(c => c).ToList();
        if (counts.Count == 0)
        {
            return 2;
        }
        var covered = 0;
        var smallest = counts[0];
        foreach (var count in counts)
        {
            covered += count;
            smallest = count;
            if (covered >= 0.9 * rows.Count)
            {
                break;
            }
        }
        var trainShare = 1 - split.ValidFraction - split.TestFraction;
        return Math.Clamp((int)(smallest * trainShare / 2), 2, 20);
    }

    /// <summary>A batch size for the catalogue: about 20 iterations per epoch, between 8 and the library's 64.</summary>
    public static int BatchSizeFor(int rows, SplitOptions split) =>
        Math.Clamp((int)(rows * (1 - split.ValidFraction - split.TestFraction) / 20), 8, 64);

    /// <summary>
    /// Epochs enough for about 300 training iterations, between 3 and 30: a few hundred photos need many passes, a
    /// large catalogue gets its iterations from three.
    /// </summary>
    public static int EpochsFor(int rows, int batchSize, SplitOptions split)
    {
        var perEpoch = Math.Max(1, (int)Math.Ceiling(rows * (1 - split.ValidFraction - split.TestFraction) / batchSize));
        return Math.Clamp((int)Math.Ceiling(300.0 / perEpoch), 3, 30);
    }

    /// <summary>
    /// The first head (type, colour, brand) that <see cref="MinClassCount"/> leaves with "other" alone on these training
    /// rows, or null when every head keeps at least two classes. Such a head answers every photo the same, and its
    /// validation accuracy reads 100 % for a model that learnt nothing.
    /// </summary>
    public static CollapsedHead? CollapsedHead(IReadOnlyList<CatalogRow> trainRows, TrainingPlan plan)
    {
        var vocab = ModelVocabularies.Build(trainRows, plan.Vocabularies);
        var heads = new (LabelMap Map, IEnumerable<string?> Values)[]
        {
            (vocab.Labels.Type, trainRows.Select(r => r.ArticleType)),
            (vocab.Labels.Colour, trainRows.Select(r => r.BaseColour)),
            (vocab.Labels.Brand, trainRows.Select(r => vocab.Brands.Extract(r.DisplayName))),
        };
        foreach (var (map, values) in heads)
        {
            if (map.Count < 2)
            {
                var largest = values.Where(v => !string.IsNullOrWhiteSpace(v) && !string.Equals(v, LabelMap.Other, StringComparison.OrdinalIgnoreCase))
                    .GroupBy(v => v!, StringComparer.OrdinalIgnoreCase).Select(g => g.Count()).DefaultIfEmpty(0).Max();
                return new CollapsedHead(map.Name, plan.MinClassCount, largest, trainRows.Count);
            }
        }
        return null;
    }

    public ModelVocabularies.BuildOptions Vocabularies =>
        new(MinClassCount, MinClassCount, MinClassCount, BrandLexiconMinCount: Math.Max(2, MinClassCount / 5), MinWordCount: MinWordCount);
}

/// <summary>A head that a minimum class size leaves with one class (see <see cref="TrainingPlan.CollapsedHead"/>).</summary>
public sealed record CollapsedHead(string Head, int MinClassCount, int LargestClass, int TrainingRows)
{
    /// <summary>Why training is refused, and what to change, naming the setting as the caller knows it.</summary>
    public string Describe(string setting) =>
        LargestClass < 2
            ? $"the {Head} head would have a single class: its {TrainingRows} training rows hold no {Head} value twice, so there is nothing to learn"
            : $"{setting} {MinClassCount} leaves the {Head} head with a single class ('{LabelMap.Other}'): its most frequent value has " +
              $"{LargestClass} of {TrainingRows} training rows, so every photo would get one answer and validation would read 100 %; " +
              $"use {setting} {LargestClass} or less (lower keeps more classes)";
}
