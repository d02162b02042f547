using System.Text.Json.Nodes;
using Enrichment.Models;
using static TorchSharp.torch;

namespace Enrichment.Models.Tests;

[Collection("torch")]
[Trait("Category", "Unit")]
public sealed class NameBranchTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("models-name-");

    public void Dispose() => _dir.Delete(recursive: true);

    /// <summary>
    /// Every photo appears twice, once named "alpha …" with type Alpha and once named "beta …" with type Beta: the
    /// photo cannot tell the two apart, the name can. The fused model must separate them; photo only it cannot (the
    /// two copies get the same prediction, so exactly half are right).
    /// </summary>
    [Fact]
    public void The_name_branch_separates_classes_the_photo_cannot_and_photo_only_mode_does_not()
    {
        manual_seed(11);
        var images = Path.Combine(_dir.FullName, "images");
        Directory.CreateDirectory(images);
        var source = TestData.Rows().Take(32).ToList();
        var rows = new List<CatalogRow>();
        foreach (var r in source)
        {
            File.Copy(CatalogReader.ImagePath(TestData.Images, r.Id), CatalogReader.ImagePath(images, r.Id));
            File.Copy(CatalogReader.ImagePath(TestData.Images, r.Id), CatalogReader.ImagePath(images, 100_000 + r.Id));
            rows.Add(r with { ArticleType = "Alpha", DisplayName = $"alpha {r.BaseColour} item" });
            rows.Add(r with { Id = 100_000 + r.Id, ArticleType = "Beta", DisplayName = $"beta {r.BaseColour} item" });
        }
        var vocab = ModelVocabularies.Build(rows, new ModelVocabularies.BuildOptions(2, 2, 2, 2, MinWordCount: 1));
        var model = TestData.TinyModel with { InputHeight = 40, InputWidth = 30 };
        var set = LabeledSet.Build(rows, images, model, vocab);
        using var net = new Networks.FashionNet(model, vocab.Labels.Colour.Count, vocab.Labels.Brand.Count, vocab.Labels.Type.Count, vocab.Words.Count);
        var trainer = new Trainer(new TrainerOptions
        {
            Epochs = 12, BatchSize = 16, LearningRate = 0.05, WarmupIterations = 10, NameDropout = 0.3, Seed = 5, EvalBatchSize = 64,
        });
        trainer.Train(net, vocab, set, set, CPU, Path.Combine(_dir.FullName, "run"));

        var fused = Evaluator.Evaluate(net, vocab, set, CPU, mode: InputMode.PhotoAndName);
        var photo = Evaluator.Evaluate(net, vocab, set, CPU, mode: InputMode.Photo);
        Assert.True(fused.Type.Top1 >= 0.95, $"photo+name type top-1 {fused.Type.Top1:P1}");
        Assert.Equal(0.5, photo.Type.Top1, precision: 6);
    }

    [Fact]
    public void Name_features_are_hashed_words_then_bigrams_and_an_absent_name_is_an_empty_bag()
    {
        var a = NameFeatures.Encode("Puma Men Black T-shirt", 1024, 48);
        Assert.Equal(5 + 4, a.Length); // puma, men, black, t, shirt + 4 bigrams
        Assert.All(a, f => Assert.InRange(f, 1, 1023));
        Assert.Equal(a, NameFeatures.Encode("  puma MEN black t shirt ", 1024, 48));
        Assert.Empty(NameFeatures.Encode(null, 1024, 48));
        Assert.Empty(NameFeatures.Encode("   ", 1024, 48));
        Assert.Equal(3, NameFeatures.Encode("Puma Men Black T-shirt", 1024, 3).Length);
    }

    /// <summary>A checkpoint of the format before names (format version 1, today's models/demo) loads as photo-only and serves.</summary>
    [Fact]
    public void A_format_1_checkpoint_without_a_text_branch_loads_and_serves_names_ignored()
    {
        var rows = TestData.Rows();
        var vocab = TestData.Vocab(rows);
        var dir = Path.Combine(_dir.FullName, "v1");
        using (var photoOnly = EnrichmentModel.CreateUntrained(TestData.TinyModel with { NameBuckets = 0 }, vocab.Labels, vocab.Words, CPU))
        {
            photoOnly.Save(dir);
        }
        // Rewrite the manifest as version 1 wrote it: none of the name fields existed.
        var path = Path.Combine(dir, Checkpoint.ManifestFile);
        var manifest = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        manifest["FormatVersion"] = 1;
        foreach (var key in new[] { "Inputs", "Temperatures", "AutoApply" }) manifest.Remove(key);
        foreach (var key in new[] { "NameBuckets", "NameDim", "NameMaxFeatures" }) manifest["Model"]!.AsObject().Remove(key);
        File.WriteAllText(path, manifest.ToJsonString());

        using var loaded = EnrichmentModel.Load(dir, CPU);
        Assert.False(loaded.Options.ReadsName);
        Assert.Equal(["photo"], loaded.Inputs);
        var image = ImageDecoder.Decode(TestData.FirstJpeg(), loaded.Preprocessing);
        var withName = loaded.Predict([new ModelInput(image, "Puma Men Black T-shirt")]);
        var without = loaded.Predict([image]);
        Assert.Equal(without[0], withName[0]);
        Assert.Equal(InputMode.Photo, withName[0].Input);
    }

    [Fact]
    public void A_name_model_reads_the_name_when_given_and_says_which_input_it_used()
    {
        var rows = TestData.Rows();
        var vocab = TestData.Vocab(rows);
        using var model = EnrichmentModel.CreateUntrained(TestData.TinyModel, vocab.Labels, vocab.Words, CPU);
        var dir = Path.Combine(_dir.FullName, "v2");
        model.Save(dir);
        using var loaded = EnrichmentModel.Load(dir, CPU);
        Assert.Equal(["photo", "name"], loaded.Inputs);
        Assert.Equal(["photo", "name"], Checkpoint.ReadManifest(dir).Inputs);
        var image = ImageDecoder.Decode(TestData.FirstJpeg(), loaded.Preprocessing);
        var p = loaded.Predict([new ModelInput(image, "Puma Men Black T-shirt"), new ModelInput(image, null)]);
        Assert.Equal(InputMode.PhotoAndName, p[0].Input);
        Assert.Equal(InputMode.Photo, p[1].Input);
        Assert.Equal(p[1], loaded.Predict([image])[0]);
    }
}
