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
/// caption annotator, trained jointly. A model that reads names (<see cref="ModelOptions.ReadsName"/>) adds a text
/// branch (<see cref="NameEncoder"/>) whose output is concatenated to the photo features before the colour and type
/// heads. The brand head and the annotator see the photo only, on purpose: brand labels are derived from the name and
/// the caption target is the name, so predicting either from the name would measure nothing.
/// State-dict names: backbone.* (torchvision), colour_head.fc.*, brand_head.fc.*, type_head.fc.*, annotator.*,
/// name_encoder.bag.* (name models only).
/// </summary>
public sealed class FashionNet : Module<Tensor, FashionOutputs>
{
    private readonly ResNet backbone;
    private readonly ClassifierHead colour_head, brand_head, type_head;
    private readonly Annotator annotator;
    private readonly NameEncoder? name_encoder;

    public ModelOptions Options { get; }

    public FashionNet(ModelOptions options, int nColour, int nBrand, int nType, int nVocab) : base(nameof(FashionNet))
    {
        Options = options;
        backbone = new ResNet(options.Architecture, options.BaseWidth);
        if (options.ReadsName) name_encoder = new NameEncoder(options.NameBuckets, options.NameDim);
        int fused = backbone.FeatureDim + (name_encoder?.Dim ?? 0);
        colour_head = new ClassifierHead(fused, nColour, options.Finetune);
        brand_head = backbone.Classify(nBrand, options.Finetune);
        type_head = new ClassifierHead(fused, nType, options.Finetune);
        annotator = new Annotator(nVocab, backbone.FeatureDim, options.EmbeddingDim, options.HiddenDim, options.Finetune);
        RegisterComponents();
    }

    public ResNet Backbone => backbone;
    public Annotator Captioner => annotator;

    /// <summary>Photo only (a name model sees an empty name).</summary>
    public override FashionOutputs forward(Tensor images) => Forward(images, null);

    /// <summary>
    /// <paramref name="names"/>: hashed name features [B, L] (0 = padding), or null for photo only. A photo-only
    /// model ignores them.
    /// </summary>
    public FashionOutputs Forward(Tensor images, Tensor? names)
    {
        var f = backbone.forward(images);
        if (name_encoder is null) return new FashionOutputs(f, colour_head.forward(f), brand_head.forward(f), type_head.forward(f));
        using var text = names is null
            ? zeros(new long[] { f.shape[0], name_encoder.Dim }, dtype: f.dtype, device: f.device)
            : name_encoder.forward(names);
        using var fused = cat(new[] { f, text }, 1);
        return new FashionOutputs(f, colour_head.forward(fused), brand_head.forward(f), type_head.forward(fused));
    }
}
