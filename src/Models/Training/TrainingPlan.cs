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
    /// A brand-lexicon entry needs a fifth of a class's rows (20 at the library's 100), at least 2, so a small
    /// catalogue's rarer brands still name their products.
    /// </summary>
    public ModelVocabularies.BuildOptions Vocabularies =>
        new(MinClassCount, MinClassCount, MinClassCount, BrandLexiconMinCount: Math.Max(2, MinClassCount / 5), MinWordCount: MinWordCount);
}
