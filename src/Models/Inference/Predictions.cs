namespace Enrichment.Models;

public sealed record AttributePrediction(string Value, float Confidence);

public sealed record ImagePrediction(AttributePrediction Colour, AttributePrediction Brand, AttributePrediction Type, string Caption);
