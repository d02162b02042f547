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

    [JsonIgnore]
    public ImagePreprocessing Preprocessing => new(InputHeight, InputWidth);
}
