using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Enrichment.Models.Networks;

/// <summary>
/// The residual shortcut projection: torchvision's downsample = Sequential(Conv1x1(stride), BatchNorm).
/// oneDNN 3.7.1 raises SIGFPE in the backward pass of a stride-2 1x1 convolution with batch &gt; 1, so we
/// take every second pixel first and run a stride-1 1x1 convolution: identical maths (a 1x1 kernel with
/// stride 2 and no padding only ever reads pixels (2i, 2j)), identical weights, and the parameter names
/// stay "downsample.0.weight", "downsample.1.*" so torchvision checkpoints map one-to-one.
/// </summary>
internal sealed class SubsampledDownsample : Module<Tensor, Tensor>
{
    private readonly Conv2d _conv;
    private readonly BatchNorm2d _bn;
    private readonly int _stride;

    public SubsampledDownsample(long inPlanes, long outPlanes, int stride) : base("downsample")
    {
        _stride = stride;
        _conv = Convs.Conv1x1(inPlanes, outPlanes);
        _bn = BatchNorm2d(outPlanes);
        // Registered by index, like nn.Sequential, instead of RegisterComponents' field names.
        register_module("0", _conv);
        register_module("1", _bn);
    }

    public override Tensor forward(Tensor x)
    {
        if (_stride == 1) return _bn.forward(_conv.forward(x));
        using var view = x.slice(2, 0, x.shape[2], _stride).slice(3, 0, x.shape[3], _stride);
        // A strided view would push oneDNN onto a slow reorder path; a dense copy is cheap (1/4 of x).
        using var sub = view.contiguous();
        using var y = _conv.forward(sub);
        return _bn.forward(y);
    }

    public BatchNorm2d Norm => _bn;
}
