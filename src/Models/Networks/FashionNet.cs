using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Enrichment.Models.Networks;

/// <summary>Raw outputs of one forward pass (logits, not probabilities).</summary>
public sealed record FashionOutputs(Tensor Features, Tensor Colour, Tensor Brand, Tensor Type) : IDisposable
{
    public void Dispose()
    {
        Features.Dispose(); Colour.Dispose(); Brand.Dispose(); Type.Dispose();
    }
}

/// <summary>
/// The multi-task model: one ResNet trunk shared by three classifier heads (colour, brand, type) and the
/// caption annotator, trained jointly. State-dict names: backbone.* (torchvision), colour_head.fc.*,
/// brand_head.fc.*, type_head.fc.*, annotator.*.
/// </summary>
public sealed class FashionNet : Module<Tensor, FashionOutputs>
{
    private readonly ResNet backbone;
    private readonly ClassifierHead colour_head, brand_head, type_head;
    private readonly Annotator annotator;

    public ModelOptions Options { get; }

    public FashionNet(ModelOptions options, int nColour, int nBrand, int nType, int nVocab) : base(nameof(FashionNet))
    {
        Options = options;
        backbone = new ResNet(options.Architecture, options.BaseWidth);
        colour_head = backbone.Classify(nColour, options.Finetune);
        brand_head = backbone.Classify(nBrand, options.Finetune);
        type_head = backbone.Classify(nType, options.Finetune);
        annotator = new Annotator(nVocab, backbone.FeatureDim, options.EmbeddingDim, options.HiddenDim, options.Finetune);
        RegisterComponents();
    }

    public ResNet Backbone => backbone;
    public Annotator Captioner => annotator;

    public override FashionOutputs forward(Tensor images)
    {
        var f = backbone.forward(images);
        return new FashionOutputs(f, colour_head.forward(f), brand_head.forward(f), type_head.forward(f));
    }
}
