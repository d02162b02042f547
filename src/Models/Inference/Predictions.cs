namespace Enrichment.Models;

public sealed record AttributePrediction(string Value, float Confidence);

public sealed record ImagePrediction(AttributePrediction Colour, AttributePrediction Brand, AttributePrediction Type, string Caption);

/// <summary>What one prediction reads: the decoded photo and, for a model that reads names, the product name
/// (null or empty: predicted from the photo alone).</summary>
public sealed record ModelInput(DecodedImage Image, string? Name = null);
