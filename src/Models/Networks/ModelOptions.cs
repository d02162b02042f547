using System.Text.Json.Serialization;

namespace Enrichment.Models;

[JsonConverter(typeof(JsonStringEnumConverter<Architecture>))]
public enum Architecture
{
    /// <summary>Bottleneck [3,4,6,3], 2048-d features (the library's network).</summary>
    ResNet50,
    /// <summary>BasicBlock [2,2,2,2], 512-d features: ~3x faster on CPU, same API.</summary>
    ResNet18,
}

/// <summary>Network shape. Everything needed to rebuild the module tree before loading weights.</summary>
public sealed record ModelOptions
{
    public Architecture Architecture { get; init; } = Architecture.ResNet18;
    /// <summary>Stem/layer1 channels; 64 = torchvision. 32 quarters the FLOPs (the CPU "small" variant).</summary>
    public int BaseWidth { get; init; } = 64;
    public int InputHeight { get; init; } = 80;
    public int InputWidth { get; init; } = 60;
    /// <summary>Heads see detached features unless true (the library's Classify(n, finetune)).</summary>
    public bool Finetune { get; init; } = true;
    public int EmbeddingDim { get; init; } = 64;
    public int HiddenDim { get; init; } = 512;
    /// <summary>Caption length limit in words (greedy decoding stops here if no &lt;/s&gt;).</summary>
    public int MaxCaptionTokens { get; init; } = 16;
    /// <summary>Hash buckets of the name branch (words and bigrams); 0 = a photo-only model (every checkpoint
    /// before format version 2).</summary>
    public int NameBuckets { get; init; } = 32_768;
    /// <summary>Width of the name embedding concatenated to the photo features before the colour and type heads.</summary>
    public int NameDim { get; init; } = 64;
    /// <summary>At most this many name features (words, then bigrams) per product: bounds the work a sender's
    /// long name can cost.</summary>
    public int NameMaxFeatures { get; init; } = 48;

    /// <summary>True when the model reads the product name besides the photo.</summary>
    [JsonIgnore]
    public bool ReadsName => NameBuckets > 0;

    /// <summary>The inputs the model takes, as the manifest and the API name them.</summary>
    [JsonIgnore]
    public IReadOnlyList<string> Inputs => ReadsName ? [ModelInputs.Photo, ModelInputs.Name] : [ModelInputs.Photo];

    [JsonIgnore]
    public ImagePreprocessing Preprocessing => new(InputHeight, InputWidth);
}
