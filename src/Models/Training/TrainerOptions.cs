namespace Enrichment.Models;

/// <summary>Hyper-parameters. Defaults follow the library (SGD momentum 0.9, LR / 4 on a validation plateau).</summary>
public sealed record TrainerOptions
{
    public int Epochs { get; init; } = 8;
    public int BatchSize { get; init; } = 64;
    public double LearningRate { get; init; } = 0.05;
    public double Momentum { get; init; } = 0.9;
    public double WeightDecay { get; init; } = 5e-4;
    /// <summary>LR is divided by this when the validation score does not improve after an epoch.</summary>
    public double PlateauDivisor { get; init; } = 4.0;
    /// <summary>Linear warm-up from ~0 over this many iterations: from-scratch nets with LR 0.05 otherwise
    /// often diverge in the first hundred steps.</summary>
    public int WarmupIterations { get; init; } = 100;
    /// <summary>Optional extra: cosine decay over the planned epochs on top of the plateau rule. Useful
    /// when only a few epochs fit into the time budget and the plateau rule would never fire.</summary>
    public bool Cosine { get; init; }
    public double CaptionLossWeight { get; init; } = 0.5;
    public double BrandLossWeight { get; init; } = 0.5;
    /// <summary>StratifiedSampler power: 1 = natural frequencies, &lt;1 oversamples rare article types.</summary>
    public double SamplerPower { get; init; } = 1.0;
    public bool Augment { get; init; } = true;
    /// <summary>What <see cref="Augment"/> does to a photo (colour is never touched).</summary>
    public PhotoAugmentation PhotoAugmentation { get; init; } = PhotoAugmentation.Default;
    /// <summary>Share of training rows whose name is dropped (modality dropout), for models that read names.</summary>
    public double NameDropout { get; init; } = 0.5;
    /// <summary>Label smoothing of the three classification losses (not of the caption).</summary>
    public double LabelSmoothing { get; init; } = 0.1;
    public int Seed { get; init; } = 42;
    /// <summary>Stop starting new iterations after this much wall time (then validate and keep the best).</summary>
    public TimeSpan? TimeBudget { get; init; }
    /// <summary>Validation batches; larger is faster under no_grad.</summary>
    public int EvalBatchSize { get; init; } = 128;
}
