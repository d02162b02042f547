namespace Enrichment.Abstractions;

/// <summary>
/// Stateless inference endpoint, placed only on silos that declare an accelerator. Keyed by the accelerator silo it
/// should run on (the enrichment pump's own silo, so claimed work is served where it was claimed); a key naming no
/// such silo places it on any accelerator silo. Every activation on a silo shares that silo's batcher.
/// </summary>
[Alias("Enrichment.IModelGrain")]
public interface IModelGrain : IGrainWithStringKey
{
    /// <summary>Predicts from the photo and, for a model that reads names, the product name (null: photo only).</summary>
    [Alias("Predict")] Task<ModelResult> Predict(ImageRef image, string? name = null);
}

public enum ModelResultStatus
{
    Ok,
    /// <summary>The model host's queue is full; retry later.</summary>
    Busy,
    /// <summary>No model version has been published yet.</summary>
    NoModel,
    /// <summary>The image cannot be decoded; retrying will not help.</summary>
    BadImage,
}

[GenerateSerializer, Immutable, Alias("Enrichment.ModelResult")]
public sealed record ModelResult
{
    [Id(0)] public required ModelResultStatus Status { get; init; }
    [Id(1)] public Dictionary<string, PredictedAttribute> Attributes { get; init; } = new();
    [Id(2)] public string? Caption { get; init; }
    [Id(3)] public string? ModelVersion { get; init; }
    [Id(4)] public string? Error { get; init; }
    /// <summary>The silo that ran the model, for operators and placement checks.</summary>
    [Id(5)] public string? Silo { get; init; }

    public static ModelResult Failed(ModelResultStatus status, string error, string? silo = null) =>
        new() { Status = status, Error = error, Silo = silo };
}
