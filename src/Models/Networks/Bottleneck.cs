using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Enrichment.Models.Networks;

/// <summary>ResNet-50 block: 1x1 -> 3x3(stride) -> 1x1, expansion 4 (torchvision v1.5). Field names match torchvision.</summary>
internal sealed class Bottleneck : Module<Tensor, Tensor>, IResidualBlock
{
    public const int Expansion = 4;
    private readonly Conv2d conv1, conv2, conv3;
    private readonly BatchNorm2d bn1, bn2, bn3;
    private readonly ReLU relu;
    private readonly SubsampledDownsample? downsample;

    public Bottleneck(long inPlanes, long planes, int stride, SubsampledDownsample? downsample) : base(nameof(Bottleneck))
    {
        conv1 = Convs.Conv1x1(inPlanes, planes);
        bn1 = BatchNorm2d(planes);
        conv2 = Convs.Conv3x3(planes, planes, stride);
        bn2 = BatchNorm2d(planes);
        conv3 = Convs.Conv1x1(planes, planes * Expansion);
        bn3 = BatchNorm2d(planes * Expansion);
        relu = ReLU(inplace: true);
        this.downsample = downsample;
        RegisterComponents();
    }

    public BatchNorm2d LastNorm => bn3;

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var o = relu.forward(bn1.forward(conv1.forward(x)));
        o = relu.forward(bn2.forward(conv2.forward(o)));
        o = bn3.forward(conv3.forward(o));
        var identity = downsample is null ? x : downsample.forward(x);
        return relu.forward(o.add_(identity)).MoveToOuterDisposeScope();
    }
}

internal interface IResidualBlock
{
    BatchNorm2d LastNorm { get; }
}
