using Enrichment.Models;

namespace Enrichment.Models.Tests;

/// <summary>Paths into the bundled 400-image sample (data/sample). Tests never read the full shared set.</summary>
internal static class TestData
{
    public static string SampleDir { get; } = Find();
    public static string Styles => Path.Combine(SampleDir, "styles.csv");
    public static string Images => Path.Combine(SampleDir, "images");

    private static string Find()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            var p = Path.Combine(d.FullName, "data", "sample");
            if (File.Exists(Path.Combine(p, "styles.csv"))) return p;
        }
        throw new DirectoryNotFoundException("data/sample not found above " + AppContext.BaseDirectory);
    }

    public static IReadOnlyList<CatalogRow> Rows() => CatalogReader.Read(Styles, Images).Rows;

    public static byte[] FirstJpeg() => File.ReadAllBytes(Directory.EnumerateFiles(Images, "*.jpg").Order().First());

    /// <summary>A small, fast model for tests: ResNet-18 at width 16.</summary>
    public static ModelOptions TinyModel => new() { Architecture = Architecture.ResNet18, BaseWidth = 16, MaxCaptionTokens = 8, NameBuckets = 1024, NameDim = 16 };

    public static ModelVocabularies Vocab(IReadOnlyList<CatalogRow> train) =>
        ModelVocabularies.Build(train, new ModelVocabularies.BuildOptions(MinTypeCount: 5, MinColourCount: 5, MinBrandCount: 5, BrandLexiconMinCount: 5, MinWordCount: 2));
}

/// <summary>libtorch state (threads, NNPACK) is process-wide; tests touching torch run in one collection
/// so they do not fight for the 2 cores, and initialise the runtime first.</summary>
[CollectionDefinition("torch", DisableParallelization = true)]
public sealed class TorchCollection : ICollectionFixture<TorchFixture> { }

public sealed class TorchFixture
{
    public TorchFixture()
    {
        TorchRuntime.Initialize();
        TorchSharp.torch.manual_seed(1234);
    }
}
