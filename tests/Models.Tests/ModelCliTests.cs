using System.Diagnostics;
using System.Text.Json;

namespace Enrichment.Models.Tests;

/// <summary>
/// Issue 21: the fashion-models CLI answers a wrong command line with one line on stderr and exit 2 (no stack trace),
/// refuses a minimum class size that leaves a head with one class, and annotate reports failures in its exit code
/// and writes JSON or CSV on request.
/// </summary>
[Collection("torch")]
[Trait("Category", "Processes")]
public sealed class ModelCliTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("enrichment-modelcli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("train --catalog {dir}/nope.csv --images {images}", "catalogue file")]
    [InlineData("train --catalog {styles} --images {dir}/no-images", "image folder")]
    [InlineData("test --checkpoint {dir}/no-checkpoint --catalog {styles} --images {images}", "checkpoint folder")]
    [InlineData("calibrate --checkpoint {dir}/no-checkpoint --catalog {styles} --images {images}", "checkpoint folder")]
    [InlineData("plot --log {dir}/nope.tsv", "training log file")]
    [InlineData("annotate --checkpoint {dir}/no-checkpoint {images}", "checkpoint folder")]
    [InlineData("annotate --checkpoint {images} {dir}/no-photos", "image file or folder")]
    public async Task A_missing_file_or_folder_is_one_line_on_stderr_and_exit_2(string args, string named)
    {
        var run = await RunAsync(Expand(args));

        Assert.Equal(2, run.ExitCode);
        var line = Assert.Single(run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(named, line);
        Assert.Contains("not found", line);
        Assert.DoesNotContain("   at ", run.Stdout + run.Stderr);
    }

    [Fact]
    public async Task Train_refuses_a_minimum_class_size_that_leaves_a_head_with_one_class_and_says_why()
    {
        // The sample holds 20 clothing types x 20 photos: at the default 100 every type falls into "other".
        var run = await RunAsync(Expand("train --catalog {styles} --images {images} --out {dir}/run --epochs 1"));

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--min-class-count 100 leaves the type head with a single class", run.Stderr);
        Assert.Contains("use --min-class-count 16 or less", run.Stderr);
        Assert.False(File.Exists(Path.Combine(_dir, "run", "train.log.tsv")), "training started");
    }

    [Fact]
    public void A_minimum_class_size_the_sample_supports_collapses_no_head()
    {
        var train = DatasetSplit.Create(TestData.Rows(), new SplitOptions()).Train;

        Assert.Equal("type", TrainingPlan.CollapsedHead(train, new TrainingPlan { MinClassCount = 100 })?.Head);
        Assert.Null(TrainingPlan.CollapsedHead(train, new TrainingPlan { MinClassCount = TrainingPlan.MinClassCountFor(TestData.Rows(), new SplitOptions()) }));
    }

    [Fact]
    public async Task Annotate_exits_1_when_an_image_failed_and_writes_json_or_csv_on_request()
    {
        var checkpoint = SaveTinyCheckpoint();
        var photos = Directory.CreateDirectory(Path.Combine(_dir, "photos")).FullName;
        foreach (var jpeg in Directory.EnumerateFiles(TestData.Images, "*.jpg").Order().Take(2))
        {
            File.Copy(jpeg, Path.Combine(photos, Path.GetFileName(jpeg)));
        }

        var clean = await RunAsync(["annotate", "--checkpoint", checkpoint, "--format", "csv", photos]);
        Assert.Equal(0, clean.ExitCode);
        var lines = clean.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("file,type,type_confidence,colour,colour_confidence,brand,brand_confidence,caption,error", lines[0]);
        Assert.Equal(3, lines.Length);

        await File.WriteAllTextAsync(Path.Combine(photos, "broken.jpg"), "not a photo");
        var failed = await RunAsync(["annotate", "--checkpoint", checkpoint, "--format", "json", photos]);
        Assert.Equal(1, failed.ExitCode);
        var annotations = JsonDocument.Parse(failed.Stdout).RootElement.EnumerateArray().ToList();
        Assert.Equal(3, annotations.Count);
        var broken = Assert.Single(annotations, a => a.GetProperty("error").ValueKind == JsonValueKind.String);
        Assert.EndsWith("broken.jpg", broken.GetProperty("file").GetString());
        Assert.All(annotations.Where(a => a.GetProperty("error").ValueKind == JsonValueKind.Null),
            a => Assert.InRange(a.GetProperty("type").GetProperty("confidence").GetSingle(), 0f, 1f));
        Assert.Contains("2 annotated, 1 failed", failed.Stderr);
    }

    [Fact]
    public async Task Each_command_lists_only_its_own_options_and_an_unknown_one_is_a_usage_error()
    {
        var annotate = await RunAsync(["annotate", "--help"]);
        var plot = await RunAsync(["plot", "--help"]);
        var unknown = await RunAsync(["plot", "--log", "x.tsv", "--catalog", "styles.csv"]);

        Assert.Equal(0, annotate.ExitCode);
        Assert.Contains("--format", annotate.Stdout);
        Assert.Contains("--checkpoint", annotate.Stdout);
        Assert.DoesNotContain("--min-class-count", annotate.Stdout);
        Assert.Equal(0, plot.ExitCode);
        Assert.Contains("--log", plot.Stdout);
        Assert.DoesNotContain("--catalog", plot.Stdout);
        Assert.DoesNotContain("--checkpoint", plot.Stdout);
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("--catalog", unknown.Stderr);
        Assert.DoesNotContain("   at ", unknown.Stderr);
    }

    private string SaveTinyCheckpoint()
    {
        var labels = new LabelMaps(new LabelMap("colour", ["other", "Black"]), new LabelMap("brand", ["other", "Nike"]), new LabelMap("type", ["other", "Watches"]));
        var words = Vocabulary.Build(["black nike watch"], minCount: 1);
        using var model = EnrichmentModel.CreateUntrained(TestData.TinyModel, labels, words, TorchSharp.torch.CPU);
        var dir = Path.Combine(_dir, "checkpoint");
        model.Save(dir);
        return dir;
    }

    private string[] Expand(string args) =>
        args.Replace("{dir}", _dir).Replace("{styles}", TestData.Styles).Replace("{images}", TestData.Images).Split(' ');

    private sealed record Run(int ExitCode, string Stdout, string Stderr);

    private static async Task<Run> RunAsync(string[] args)
    {
        // The CLI built beside this test project, in the same configuration (bin/<configuration>/net10.0).
        var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;
        var dll = Path.Combine(TestData.SampleDir, "..", "..", "src", "ModelCli", "bin", configuration, "net10.0", "fashion-models.dll");
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(Path.GetFullPath(dll));
        foreach (var arg in args)
        {
            psi.ArgumentList.Add(arg);
        }
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"fashion-models {string.Join(' ', args)} did not end within 3 minutes");
        }
        return new Run(process.ExitCode, await stdout, await stderr);
    }
}
