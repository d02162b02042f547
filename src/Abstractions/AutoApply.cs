namespace Enrichment.Abstractions;

/// <summary>Where a product's value of an attribute comes from.</summary>
public enum AttributeProvenance
{
    /// <summary>Sent by the catalogue.</summary>
    Catalogue,
    /// <summary>Accepted or corrected by a reviewer.</summary>
    Reviewed,
    /// <summary>Predicted at or above the model version's auto-apply threshold for a product the catalogue left without a value.</summary>
    Auto,
    /// <summary>Predicted below the threshold (or where the version has none): a suggestion for a reviewer, not a value.</summary>
    Suggested,
}

/// <summary>
/// A model version's auto-apply threshold for one attribute and input mode, measured on held-out rows: the lowest
/// confidence at which the predictions at or above it were right at least <see cref="TargetPrecision"/> of the time by
/// the lower bound of a 95 % interval. <see cref="Threshold"/> null: no threshold met the target, nothing is applied.
/// </summary>
[GenerateSerializer, Immutable, Alias("Enrichment.AutoApplyThreshold")]
public sealed record AutoApplyThreshold
{
    [Id(0)] public required string Attribute { get; init; }
    /// <summary>"photo" or "photo+name": the inputs the prediction read.</summary>
    [Id(1)] public required string Input { get; init; }
    [Id(2)] public double? Threshold { get; init; }
    /// <summary>Share of the held-out rows at or above the threshold.</summary>
    [Id(3)] public double Coverage { get; init; }
    /// <summary>Measured precision above the threshold (point estimate) and its 95 % lower bound.</summary>
    [Id(4)] public double Precision { get; init; }
    [Id(5)] public double PrecisionLowerBound { get; init; }
    [Id(6)] public double TargetPrecision { get; init; }
    [Id(7)] public int MinRows { get; init; }
    /// <summary>Held-out rows the threshold was measured on.</summary>
    [Id(8)] public int Rows { get; init; }
    /// <summary>Which rows ("the cluster's evaluation set", "the checkpoint's evaluation set").</summary>
    [Id(9)] public string? MeasuredOn { get; init; }
}

/// <summary>The rules that turn a prediction into a value, a suggestion, or nothing.</summary>
public static class AutoApplyRules
{
    public const string PhotoInput = "photo";
    public const string PhotoAndNameInput = "photo+name";

    /// <summary>
    /// The provenance of <paramref name="attribute"/> on <paramref name="product"/>, or null when it has no value and
    /// no prediction. A catalogue value is never overridden by a prediction: a confident disagreement stays a
    /// catalogue value (and goes to the disagreement queue).
    /// </summary>
    public static AttributeProvenance? Of(ProductView product, string attribute)
    {
        if (product.Reviews.ContainsKey(attribute)) return AttributeProvenance.Reviewed;
        if (product.KnownAttributes.ContainsKey(attribute)) return AttributeProvenance.Catalogue;
        if (product.Enrichment?.Attributes.TryGetValue(attribute, out var predicted) != true || predicted!.Value == ProductView.OtherClass) return null;
        return IsAutoApplicable(predicted) ? AttributeProvenance.Auto : AttributeProvenance.Suggested;
    }

    /// <summary>At or above the threshold its model version measured for it (a float confidence against a double threshold: compared as stored).</summary>
    public static bool IsAutoApplicable(PredictedAttribute predicted) =>
        predicted.AutoApplyThreshold is { } threshold && predicted.Confidence >= (float)threshold;

    /// <summary>The threshold of <paramref name="attribute"/> for predictions that read <paramref name="input"/>, if any.</summary>
    public static AutoApplyThreshold? Find(IEnumerable<AutoApplyThreshold>? thresholds, string attribute, string input) =>
        thresholds?.FirstOrDefault(t => t.Attribute == attribute && t.Input == input && t.Threshold is not null);

    public static string Describe(AttributeProvenance provenance) => provenance.ToString().ToLowerInvariant();

    public static bool TryParse(string text, out AttributeProvenance provenance) =>
        Enum.TryParse(text.Trim(), ignoreCase: true, out provenance) && Enum.IsDefined(provenance);
}
