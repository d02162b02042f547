using System.Diagnostics;
using static TorchSharp.torch;

namespace Enrichment.Models.Bench;

internal static class MatmulBench
{
    /// <returns>GFLOP/s of an n x n fp32 matmul (2 n^3 FLOPs) through libtorch.</returns>
    public static double Run(int n, double seconds, int windows = 1)
    {
        using var a = randn(n, n);
        using var b = randn(n, n);
        using var c = empty(n, n);
        for (int i = 0; i < 2; i++) matmul(a, b, c);
        double best = double.MaxValue;
        for (int w = 0; w < windows; w++)
        {
            var sw = Stopwatch.StartNew();
            int iters = 0;
            while (sw.Elapsed.TotalSeconds < seconds / windows || iters < 3) { matmul(a, b, c); iters++; }
            best = Math.Min(best, sw.Elapsed.TotalSeconds / iters);
        }
        return 2.0 * n * n * n / best / 1e9;
    }

    private static void matmul(Tensor a, Tensor b, Tensor c) => torch_matmul_out(a, b, c);

    private static void torch_matmul_out(Tensor a, Tensor b, Tensor c)
    {
        using var r = a.matmul(b);
        c.copy_(r);
    }
}
