using Enrichment.Abstractions;
using Enrichment.Models;

namespace Enrichment.Grains.Serving;

/// <summary>
/// What the local engine made of one image: a prediction, or why there is none (no model yet, queue full, bytes that
/// do not decode). The model grain turns it into the cluster's <see cref="ModelResult"/>.
/// </summary>
public sealed record ModelOutput(ModelResultStatus Status, ImagePrediction? Prediction, string? ModelVersion, string? Error)
{
    public static ModelOutput Predicted(ImagePrediction prediction, string modelVersion) => new(ModelResultStatus.Ok, prediction, modelVersion, null);

    public static ModelOutput Failed(ModelResultStatus status, string error, string? modelVersion = null) => new(status, null, modelVersion, error);
}
