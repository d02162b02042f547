using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Enrichment.Models.Networks;

/// <summary>ResNet-18/34 block: 3x3 -> 3x3, expansion 1. Field names match torchvision.</summary>
internal sealed class BasicBlock : Module<Tensor, Tensor>, IResidualBlock
{
    public const int Expansion = 1;
    private readonly Conv2d conv1, conv2;
    private readonly BatchNorm2d bn1, bn2;
    private readonly ReLU relu;
    private readonly SubsampledDownsample? downsample;

    public BasicBlock(long inPlanes, long planes, int stride, SubsampledDownsample? downsample) : base(nameof(BasicBlock))
    {
        conv1 = Convs.Conv3x3(inPlanes, planes, stride);
        bn1 = BatchNorm2d(planes);
        relu = ReLU(inplace: true);
        conv2 = Convs.Conv3x3(planes, planes);
        bn2 = BatchNorm2d(planes);
        this.downsample = downsample;
        RegisterComponents();
    }

    public BatchNorm2d LastNorm => bn2;

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var o = relu.forward(bn1.forward(conv1.forward(x)));
        o = bn2.forward(conv2.forward(o));
        var identity = downsample is null ? x : downsample.forward(x);
        return relu.forward(o.add_(identity)).MoveToOuterDisposeScope();
    }
}
