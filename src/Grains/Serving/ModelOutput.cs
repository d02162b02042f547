using Enrichment.Models;

namespace Enrichment.Grains.Serving;

/// <summary>What one image got from one batch: a prediction, or why its bytes did not decode.</summary>
public sealed record ModelOutput(ImagePrediction? Prediction, string? ModelVersion, string? DecodeError);
