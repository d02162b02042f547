using Enrichment.Abstractions;
using Enrichment.Models;

namespace Enrichment.Grains.Serving;

/// <summary>
/// What the local engine made of one image: a prediction, or why there is none (no model yet, queue full, bytes that
/// do not decode). The model grain turns it into the cluster's <see cref="ModelResult"/>.
/// </summary>
public sealed record ModelOutput(ModelResultStatus Status, ImagePrediction? Prediction, string? ModelVersion, string? Error)
{
    /// <summary>The served version's auto-apply thresholds, so each answer carries the rule it is judged by.</summary>
    public IReadOnlyList<AutoApplyThreshold> AutoApply { get; init; } = [];

    public static ModelOutput Predicted(ImagePrediction prediction, ModelVersionInfo version) =>
        new(ModelResultStatus.Ok, prediction, version.VersionId, null) { AutoApply = version.AutoApply };

    public static ModelOutput Failed(ModelResultStatus status, string error, string? modelVersion = null) => new(status, null, modelVersion, error);
}

/// <summary>One prediction request: the photo's encoded bytes and the product's name (null: predict from the photo alone).</summary>
public sealed record ModelRequest(byte[] Image, string? Name = null);
