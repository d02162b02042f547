using Enrichment.Models;

namespace Enrichment.TestSupport;

/// <summary>A real (untrained, narrow) network saved as a real checkpoint: serving tests need weights, not accuracy.</summary>
public static class TinyModel
{
    public static readonly string[] Colours = ["other", "Black", "Blue", "White"];

    public static string SaveCheckpoint(string directory, int seed = 1)
    {
        TorchSharp.torch.manual_seed(seed);
        var labels = new LabelMaps(
            new LabelMap("colour", Colours),
            new LabelMap("brand", ["other", "Nike", "Puma"]),
            new LabelMap("type", ["other", "Tshirts", "Watches"]));
        var words = Vocabulary.Build(["black nike tshirt", "blue puma watch", "white shirt"], minCount: 1);
        var options = new ModelOptions { Architecture = Architecture.ResNet18, BaseWidth = 8, HiddenDim = 32, EmbeddingDim = 16, MaxCaptionTokens = 6, NameBuckets = 1024, NameDim = 8 };
        using var model = EnrichmentModel.CreateUntrained(options, labels, words, TorchSharp.torch.CPU);
        model.Save(directory);
        return directory;
    }
}
