using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch.nn;

namespace Enrichment.Models.Networks;

internal static class Convs
{
    public static Conv2d Conv3x3(long inPlanes, long outPlanes, long stride = 1) =>
        Conv2d(inPlanes, outPlanes, kernel_size: 3, stride: stride, padding: 1, bias: false);

    public static Conv2d Conv1x1(long inPlanes, long outPlanes) =>
        Conv2d(inPlanes, outPlanes, kernel_size: 1, stride: 1L, padding: 0L, bias: false);

    public static int OutSize(int size, int stride) => (size - 1) / stride + 1;
}
