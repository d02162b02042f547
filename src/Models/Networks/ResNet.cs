using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Enrichment.Models.Networks;

/// <summary>
/// torchvision-compatible ResNet trunk (conv1, bn1, relu, maxpool, layer1..4, avgpool; no fc) whose
/// forward returns the pooled features: 2048-d for ResNet-50, 512-d for ResNet-18.
/// </summary>
public sealed class ResNet : Module<Tensor, Tensor>
{
    private readonly Conv2d conv1;
    private readonly BatchNorm2d bn1;
    private readonly ReLU relu;
    private readonly MaxPool2d maxpool;
    private readonly Sequential layer1, layer2, layer3, layer4;
    private readonly AdaptiveAvgPool2d avgpool;
    private readonly int[] _blocks;
    private readonly bool _bottleneck;

    public Architecture Architecture { get; }
    public int FeatureDim { get; }
    /// <summary>Channels of the stem and layer1 (torchvision: 64); layers 2-4 double it each time.</summary>
    public int BaseWidth { get; }

    public ResNet(Architecture architecture, int baseWidth = 64) : base("resnet")
    {
        Architecture = architecture;
        if (baseWidth < 8) throw new ArgumentOutOfRangeException(nameof(baseWidth));
        BaseWidth = baseWidth;
        (_blocks, _bottleneck) = architecture switch
        {
            Architecture.ResNet50 => (new[] { 3, 4, 6, 3 }, true),
            Architecture.ResNet18 => (new[] { 2, 2, 2, 2 }, false),
            _ => throw new ArgumentOutOfRangeException(nameof(architecture)),
        };
        int expansion = _bottleneck ? Bottleneck.Expansion : BasicBlock.Expansion;
        FeatureDim = 8 * baseWidth * expansion;

        int w = baseWidth;
        conv1 = Conv2d(3, w, kernel_size: 7, stride: 2, padding: 3, bias: false);
        bn1 = BatchNorm2d(w);
        relu = ReLU(inplace: true);
        maxpool = MaxPool2d(kernel_size: 3, stride: 2, padding: 1);
        long inPlanes = w;
        layer1 = MakeLayer(ref inPlanes, w, _blocks[0], 1);
        layer2 = MakeLayer(ref inPlanes, 2 * w, _blocks[1], 2);
        layer3 = MakeLayer(ref inPlanes, 4 * w, _blocks[2], 2);
        layer4 = MakeLayer(ref inPlanes, 8 * w, _blocks[3], 2);
        avgpool = AdaptiveAvgPool2d(1);
        RegisterComponents();
        InitialiseWeights();
    }

    /// <summary>The library's Classify(nClasses, finetune): features -> Linear(FeatureDim, n).</summary>
    public ClassifierHead Classify(int nClasses, bool finetune) => new(FeatureDim, nClasses, finetune);

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var h = maxpool.forward(relu.forward(bn1.forward(conv1.forward(x))));
        h = layer4.forward(layer3.forward(layer2.forward(layer1.forward(h))));
        return avgpool.forward(h).flatten(1).MoveToOuterDisposeScope();
    }

    /// <summary>Multiply-adds of convolutions for one image (FLOPs = 2x); used by the benchmark ratio.</summary>
    public long MultiplyAddsPerImage(int height, int width)
    {
        long macs = 0;
        int h = Convs.OutSize(height, 2), w = Convs.OutSize(width, 2);
        macs += (long)BaseWidth * 3 * 49 * h * w;
        h = Convs.OutSize(h, 2); w = Convs.OutSize(w, 2);
        long inPlanes = BaseWidth;
        int expansion = _bottleneck ? 4 : 1;
        int[] planes = { BaseWidth, 2 * BaseWidth, 4 * BaseWidth, 8 * BaseWidth };
        for (int l = 0; l < 4; l++)
        {
            for (int b = 0; b < _blocks[l]; b++)
            {
                int stride = b == 0 && l > 0 ? 2 : 1;
                long p = planes[l], outPlanes = p * expansion;
                int ho = Convs.OutSize(h, stride), wo = Convs.OutSize(w, stride);
                if (_bottleneck)
                    macs += inPlanes * p * h * w + p * p * 9 * ho * wo + p * outPlanes * ho * wo;
                else
                    macs += inPlanes * p * 9 * ho * wo + p * p * 9 * ho * wo;
                if (stride != 1 || inPlanes != outPlanes) macs += inPlanes * outPlanes * ho * wo;
                inPlanes = outPlanes; h = ho; w = wo;
            }
        }
        return macs;
    }

    private Sequential MakeLayer(ref long inPlanes, long planes, int blocks, int stride)
    {
        int expansion = _bottleneck ? Bottleneck.Expansion : BasicBlock.Expansion;
        var modules = new List<(string, Module<Tensor, Tensor>)>();
        for (int i = 0; i < blocks; i++)
        {
            int s = i == 0 ? stride : 1;
            SubsampledDownsample? down = s != 1 || inPlanes != planes * expansion
                ? new SubsampledDownsample(inPlanes, planes * expansion, s)
                : null;
            Module<Tensor, Tensor> block = _bottleneck
                ? new Bottleneck(inPlanes, planes, s, down)
                : new BasicBlock(inPlanes, planes, s, down);
            modules.Add((i.ToString(System.Globalization.CultureInfo.InvariantCulture), block));
            inPlanes = planes * expansion;
        }
        return Sequential(modules);
    }

    private void InitialiseWeights()
    {
        using var _ = no_grad();
        foreach (var (_, m) in named_modules())
        {
            if (m is Conv2d c)
                init.kaiming_normal_(c.weight, mode: init.FanInOut.FanOut, nonlinearity: init.NonlinearityType.ReLU);
            else if (m is BatchNorm2d bn)
            {
                init.ones_(bn.weight);
                init.zeros_(bn.bias);
            }
        }
        // Zero-init the last BN of each residual branch so every block starts as identity: trains
        // noticeably faster from scratch (Goyal et al. 2017; torchvision's zero_init_residual).
        foreach (var (_, m) in named_modules())
            if (m is IResidualBlock block) init.zeros_(block.LastNorm.weight);
    }
}
