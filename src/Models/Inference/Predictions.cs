namespace Enrichment.Models;

public sealed record AttributePrediction(string Value, float Confidence);

/// <summary>One product's prediction; <see cref="Input"/> says whether the name was read (it picks the thresholds that apply).</summary>
public sealed record ImagePrediction(AttributePrediction Colour, AttributePrediction Brand, AttributePrediction Type, string Caption,
                                     InputMode Input = InputMode.Photo);

/// <summary>What one prediction reads: the decoded photo and, for a model that reads names, the product name
/// (null or empty: predicted from the photo alone).</summary>
public sealed record ModelInput(DecodedImage Image, string? Name = null);
