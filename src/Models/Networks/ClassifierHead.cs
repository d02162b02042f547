using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Enrichment.Models.Networks;

/// <summary>features -> Linear(featureDim, n). Features are detached unless finetuning, so a frozen
/// trunk is never updated through this head.</summary>
public sealed class ClassifierHead : Module<Tensor, Tensor>
{
    private readonly Linear fc;
    public bool Finetune { get; }
    public int Classes { get; }

    public ClassifierHead(int featureDim, int nClasses, bool finetune) : base(nameof(ClassifierHead))
    {
        Finetune = finetune;
        Classes = nClasses;
        fc = Linear(featureDim, nClasses);
        RegisterComponents();
    }

    public override Tensor forward(Tensor features)
    {
        if (Finetune) return fc.forward(features);
        using var detached = features.detach();
        return fc.forward(detached);
    }
}
