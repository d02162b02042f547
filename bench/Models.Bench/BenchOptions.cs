namespace Enrichment.Models.Bench;

internal sealed record BenchOptions
{
    /// <summary>(architecture, base width): ResNet-50, ResNet-18 and the half-width ResNet-18 used for CPU training.</summary>
    public (Architecture Arch, int Width)[] Models { get; init; } = { (Architecture.ResNet50, 64), (Architecture.ResNet18, 64), (Architecture.ResNet18, 32) };
    public string[] Modes { get; init; } = { "inference", "training" };
    public int[] Batches { get; init; } = { 1, 8, 32 };
    public int Height { get; init; } = 80;
    public int Width { get; init; } = 60;
    public double Seconds { get; init; } = 3;
    public int MatmulSize { get; init; } = 1024;
    /// <summary>Each measurement is split into this many windows and the fastest is kept.</summary>
    public int Windows { get; init; } = 3;
    public int? Threads { get; init; }
    public string SampleDir { get; init; } = FindSample();

    public static BenchOptions Parse(string[] args)
    {
        var o = new BenchOptions();
        for (int i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            o = args[i] switch
            {
                "--models" => o with { Models = Next().Split(',').Select(ParseModel).ToArray() },
                "--mode" => o with { Modes = Next().Split(',') },
                "--batches" => o with { Batches = Next().Split(',').Select(int.Parse).ToArray() },
                "--height" => o with { Height = int.Parse(Next()) },
                "--width" => o with { Width = int.Parse(Next()) },
                "--seconds" => o with { Seconds = double.Parse(Next(), System.Globalization.CultureInfo.InvariantCulture) },
                "--matmul" => o with { MatmulSize = int.Parse(Next()) },
                "--windows" => o with { Windows = int.Parse(Next()) },
                "--threads" => o with { Threads = int.Parse(Next()) },
                "--sample" => o with { SampleDir = Next() },
                _ => throw new ArgumentException($"unknown option {args[i]} (--models resnet50,resnet18,resnet18w32 --mode inference,training,serving --batches 1,8,32 --height --width --seconds --matmul --threads --sample)"),
            };
        }
        return o;
    }

    private static (Architecture, int) ParseModel(string s)
    {
        var m = System.Text.RegularExpressions.Regex.Match(s.ToLowerInvariant(), @"^resnet(18|50)(?:w(\d+))?$");
        if (!m.Success) throw new ArgumentException($"model '{s}': use resnet50, resnet18 or resnet18w32");
        return (m.Groups[1].Value == "50" ? Architecture.ResNet50 : Architecture.ResNet18, m.Groups[2].Success ? int.Parse(m.Groups[2].Value) : 64);
    }

    // The bundled sample (data/sample) — benchmarks never read the full shared data set.
    private static string FindSample()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            var p = Path.Combine(d.FullName, "data", "sample");
            if (Directory.Exists(Path.Combine(p, "images"))) return p;
        }
        return Path.Combine("data", "sample");
    }
}
