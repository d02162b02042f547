namespace Enrichment.Models;

/// <summary>
/// manifest.json of a checkpoint directory. Together with weights.bin (TorchSharp Module.save format: the
/// state dict — parameters and BatchNorm buffers — as named float32 tensors) it is everything needed to
/// rebuild the model and its label spaces. WeightsSha256 is verified on load.
/// </summary>
public sealed record CheckpointManifest
{
    public const string FormatName = "enrichment-fashion-model";
    /// <summary>2: the model may read the product name (<see cref="Inputs"/>, <see cref="ModelOptions.NameBuckets"/>).
    /// A version-1 manifest is a photo-only model.</summary>
    public const int CurrentFormatVersion = 2;

    public string Format { get; init; } = FormatName;
    public int FormatVersion { get; init; } = CurrentFormatVersion;
    public DateTimeOffset CreatedUtc { get; init; } = DateTimeOffset.UtcNow;
    public required ModelOptions Model { get; init; }
    /// <summary>What the model reads: ["photo"] or ["photo", "name"].</summary>
    public string[] Inputs { get; init; } = [ModelInputs.Photo];
    public required string[] ColourClasses { get; init; }
    public required string[] BrandClasses { get; init; }
    public required string[] TypeClasses { get; init; }
    /// <summary>Normalised brand prefix -> display form (see BrandRule).</summary>
    public Dictionary<string, string> BrandLexicon { get; init; } = new();
    public int BrandLexiconMinCount { get; init; }
    public double BrandKeepRatio { get; init; }
    public required string[] Vocabulary { get; init; }
    /// <summary>The split the model was trained with, so `test` can recompute the same held-out rows.</summary>
    public SplitOptions? Split { get; init; }
    public int Epoch { get; init; }
    public Dictionary<string, double> Metrics { get; init; } = new();
    /// <summary>Logit temperatures per input mode and head, fitted on the validation split (<see cref="Models.Temperatures"/>); empty = 1.</summary>
    public Dictionary<string, double> Temperatures { get; init; } = new();
    /// <summary>
    /// Auto-apply thresholds measured on held-out rows, recorded only on request (`test --record-thresholds`); the
    /// cluster takes them as the version's until its own evaluation set has scored more rows.
    /// </summary>
    public List<RecordedThreshold> AutoApply { get; init; } = [];
    public string WeightsFile { get; init; } = "weights.bin";
    public required string WeightsSha256 { get; init; }
}

/// <summary>An auto-apply threshold a checkpoint carries: for one input mode and attribute, and the rows it was measured on.</summary>
public sealed record RecordedThreshold(string Input, string Attribute, ThresholdChoice Choice, string MeasuredOn);
