using Enrichment.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Enrichment.Models.Tests;

[Collection("torch")]
[Trait("Category", "Unit")]
public sealed class CheckpointTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("models-tests-");

    public void Dispose() => _dir.Delete(recursive: true);

    private static (LabelMaps Maps, Vocabulary Vocab, List<DecodedImage> Images) Fixture(int count)
    {
        var rows = TestData.Rows();
        var vocab = TestData.Vocab(rows);
        var images = Directory.EnumerateFiles(TestData.Images, "*.jpg").Order().Take(count)
            .Select(f => ImageDecoder.Decode(File.ReadAllBytes(f))).ToList();
        return (vocab.Labels, vocab.Words, images);
    }

    [Fact]
    public void Save_then_load_gives_bit_identical_outputs()
    {
        var (maps, vocab, images) = Fixture(6);
        using var original = EnrichmentModel.CreateUntrained(TestData.TinyModel, maps, vocab, CPU);
        var before = original.Predict(images);
        var manifest = original.Save(Path.Combine(_dir.FullName, "ckpt"));
        Assert.Equal(64, manifest.WeightsSha256.Length);

        using var loaded = EnrichmentModel.Load(Path.Combine(_dir.FullName, "ckpt"), CPU);
        Assert.Equal("sha256:" + manifest.WeightsSha256[..12], loaded.Version);
        Assert.Equal(maps.Type.Classes, loaded.Labels.Type.Classes);
        Assert.Equal(vocab.Tokens, loaded.Vocabulary.Tokens);
        var after = loaded.Predict(images);
        Assert.Equal(before, after); // records: exact string and float equality

        // Every tensor of the state dict, buffers included, is bit-identical.
        var a = original.Network.state_dict();
        var b = loaded.Network.state_dict();
        Assert.Equal(a.Keys.Order(), b.Keys.Order());
        foreach (var k in a.Keys) Assert.True(Same(a[k], b[k]), k);

        // And the raw logits, not just the arg-max.
        using var x = stack(images.Select(i => tensor(i.Chw, new long[] { 3, 80, 60 })).ToArray());
        using var _ = no_grad();
        using var o1 = original.Network.forward(x);
        using var o2 = loaded.Network.forward(x);
        Assert.True(Same(o1.Type, o2.Type) && Same(o1.Colour, o2.Colour) && Same(o1.Brand, o2.Brand) && Same(o1.Features, o2.Features));
    }

    private static bool Same(Tensor a, Tensor b) => a.shape.SequenceEqual(b.shape) && a.eq(b).all().item<bool>();

    [Fact]
    public void Corrupted_weights_are_detected()
    {
        var (maps, vocab, _) = Fixture(0);
        using var m = EnrichmentModel.CreateUntrained(TestData.TinyModel, maps, vocab, CPU);
        var dir = Path.Combine(_dir.FullName, "bad");
        m.Save(dir);
        var weights = Path.Combine(dir, Checkpoint.WeightsFile);
        var bytes = File.ReadAllBytes(weights);
        bytes[^10] ^= 0xFF;
        File.WriteAllBytes(weights, bytes);
        var e = Assert.Throws<InvalidDataException>(() => EnrichmentModel.Load(dir, CPU));
        Assert.Contains("sha256", e.Message);
        Assert.Throws<FileNotFoundException>(() => EnrichmentModel.Load(Path.Combine(_dir.FullName, "missing"), CPU));
    }

    [Fact]
    public void Predict_is_safe_to_call_concurrently()
    {
        var (maps, vocab, images) = Fixture(4);
        using var m = EnrichmentModel.CreateUntrained(TestData.TinyModel, maps, vocab, CPU);
        var expected = m.Predict(images);
        var results = new IReadOnlyList<ImagePrediction>[4];
        Parallel.For(0, results.Length, i => results[i] = m.Predict(images));
        Assert.All(results, r => Assert.Equal(expected.Select(p => (p.Type.Value, p.Colour.Value, p.Brand.Value, p.Caption)),
                                              r.Select(p => (p.Type.Value, p.Colour.Value, p.Brand.Value, p.Caption))));
        Assert.All(expected, p => Assert.InRange(p.Type.Confidence, 0f, 1f));
        Assert.Empty(m.Predict(Array.Empty<DecodedImage>()));
        Assert.Throws<ArgumentException>(() => m.Predict(new[] { ImageDecoder.Decode(TestData.FirstJpeg(), new ImagePreprocessing(40, 30)) }));
    }
}
