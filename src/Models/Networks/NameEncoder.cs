using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Enrichment.Models.Networks;

/// <summary>
/// The text branch: an embedding bag over the name's hashed words and bigrams (<see cref="NameFeatures"/>), averaged.
/// Padding (bucket 0) embeds to zero and is not counted, so an empty bag (no name, or a name dropped in training)
/// is the zero vector: the heads then see exactly the photo-only input they were also trained on.
/// </summary>
public sealed class NameEncoder : Module<Tensor, Tensor>
{
    private readonly Embedding bag;

    /// <summary>
    /// The stored rows are the embeddings divided by this: each row is updated only by the few rows whose name holds
    /// the word, and its gradient is averaged over the batch and the bag, so at the trunk's learning rate a plain
    /// embedding barely moves (a first try learnt nothing in 300 iterations). Storing e / s and multiplying by s
    /// gives the rows s² times the trunk's learning rate (fastText trains its bags at 0.1–1) without a second
    /// optimiser.
    /// </summary>
    public const double Scale = 8;

    public int Dim { get; }

    public NameEncoder(int buckets, int dim) : base(nameof(NameEncoder))
    {
        Dim = dim;
        bag = Embedding(buckets, dim, padding_idx: NameFeatures.Padding);
        using (no_grad())
        {
            bag.weight!.normal_(0, 1.0 / Scale);
            bag.weight[NameFeatures.Padding].zero_();
        }
        RegisterComponents();
    }

    /// <summary>features [B, L] (bucket ids, 0 = padding) -> [B, Dim].</summary>
    public override Tensor forward(Tensor features)
    {
        using var scope = NewDisposeScope();
        var summed = bag.forward(features).sum(1).mul_(Scale);
        var count = features.ne(NameFeatures.Padding).sum(1, keepdim: true).clamp_min(1).to(summed.dtype);
        return summed.div(count).MoveToOuterDisposeScope();
    }
}
