using Enrichment.Models;
using Enrichment.Models.Bench;

// Benchmarks: ResNet inference/training images/s at batch 1/8/32 next to raw libtorch fp32 matmul
// GFLOP/s measured in the same process, so the ratio (achieved conv GFLOP/s / matmul GFLOP/s) is
// comparable across machines. Speed targets live here, never in the (timed) unit tests.
var options = BenchOptions.Parse(args);
TorchRuntime.Initialize(options.Threads);
Console.WriteLine($"threads {TorchSharp.torch.get_num_threads()}, NNPACK disabled: {TorchRuntime.NnpackDisabled}, " +
                  $"LD_PRELOAD={Environment.GetEnvironmentVariable("LD_PRELOAD") ?? "(none)"}, input {options.Width}x{options.Height}, " +
                  $"{options.Seconds}s per measurement");

double peak = MatmulBench.Run(options.MatmulSize, options.Seconds, options.Windows);
Console.WriteLine($"raw libtorch matmul {options.MatmulSize}x{options.MatmulSize} fp32: {peak:F1} GFLOP/s (best of {options.Windows} windows)");
Console.WriteLine("ratio = model GFLOP/s / matmul GFLOP/s measured right before it (so both see the same machine load)");
Console.WriteLine();
Console.WriteLine($"{"model",-11} {"mode",-9} {"batch",5} {"img/s",9} {"ms/batch",9} {"GFLOP/img",10} {"GFLOP/s",8} {"matmul",7} {"ratio",6}");
var pixels = SampleImages.Load(options);
foreach (var (arch, width) in options.Models)
{
    if (options.Modes.Contains("serving"))
    {
        // The name branch's cost where it matters: whole predictions, photo-only vs photo + name, same batch, same run.
        foreach (var batch in options.Batches)
        {
            var s = ServingBench.Run(arch, width, batch, options);
            Console.WriteLine($"{(width == 64 ? arch.ToString() : $"{arch}w{width}"),-11} serving   {batch,5} photo-only {s.PhotoOnlyImagesPerSecond,8:F1} img/s, " +
                              $"photo+name {s.FusedImagesPerSecond,8:F1} img/s, fused/photo-only {s.Ratio:F3}");
        }
    }
    string name = width == 64 ? arch.ToString() : $"{arch}w{width}";
    foreach (var mode in options.Modes.Where(m => m != "serving"))
    {
        foreach (var batch in options.Batches)
        {
            double gflops = MatmulBench.Run(options.MatmulSize, 1.0, 2);
            var r = ModelBench.Run(arch, width, mode, batch, pixels, options);
            double achieved = r.ImagesPerSecond * r.GflopPerImage;
            Console.WriteLine($"{name,-11} {mode,-9} {batch,5} {r.ImagesPerSecond,9:F1} {r.MsPerBatch,9:F1} {r.GflopPerImage,10:F3} {achieved,8:F1} {gflops,7:F1} {achieved / gflops,6:F3}");
        }
    }
}
