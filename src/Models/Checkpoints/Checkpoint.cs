using System.Security.Cryptography;
using System.Text.Json;
using Enrichment.Models.Networks;
using TorchSharp;
using static TorchSharp.torch;

namespace Enrichment.Models;

/// <summary>Checkpoint directory = weights.bin + manifest.json (format in docs/models.md).</summary>
public static class Checkpoint
{
    public const string ManifestFile = "manifest.json";
    public const string WeightsFile = "weights.bin";

    internal static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public sealed record Loaded(FashionNet Network, ModelVocabularies Vocabularies, CheckpointManifest Manifest);

    /// <summary>Writes into a temporary sibling directory and swaps it in, so readers never see half a checkpoint.</summary>
    public static CheckpointManifest Save(string directory, FashionNet network, ModelVocabularies vocab,
                                          SplitOptions? split = null, int epoch = 0, IDictionary<string, double>? metrics = null)
    {
        var full = Path.GetFullPath(directory);
        var parent = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(parent);
        var tmp = Path.Combine(parent, "." + Path.GetFileName(full) + ".tmp-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(tmp);
        var weights = Path.Combine(tmp, WeightsFile);
        network.save(weights);
        var manifest = new CheckpointManifest
        {
            Model = network.Options,
            Inputs = network.Options.Inputs.ToArray(),
            ColourClasses = vocab.Labels.Colour.Classes.ToArray(),
            BrandClasses = vocab.Labels.Brand.Classes.ToArray(),
            TypeClasses = vocab.Labels.Type.Classes.ToArray(),
            BrandLexicon = new Dictionary<string, string>(vocab.Brands.Lexicon),
            BrandLexiconMinCount = vocab.Brands.MinCount,
            BrandKeepRatio = vocab.Brands.KeepRatio,
            Vocabulary = vocab.Words.Tokens.ToArray(),
            Split = split,
            Epoch = epoch,
            Metrics = metrics is null ? new() : new Dictionary<string, double>(metrics),
            WeightsSha256 = Sha256(weights),
        };
        File.WriteAllText(Path.Combine(tmp, ManifestFile), JsonSerializer.Serialize(manifest, Json));
        if (Directory.Exists(full))
        {
            var old = full + ".old-" + Guid.NewGuid().ToString("N")[..8];
            Directory.Move(full, old);
            Directory.Move(tmp, full);
            Directory.Delete(old, recursive: true);
        }
        else Directory.Move(tmp, full);
        return manifest;
    }

    /// <summary>
    /// Rewrites the manifest only (weights, and so the version id, unchanged), through a temporary file and a rename,
    /// e.g. to record temperatures fitted after training.
    /// </summary>
    public static CheckpointManifest UpdateManifest(string directory, Func<CheckpointManifest, CheckpointManifest> change)
    {
        var updated = change(ReadManifest(directory));
        var path = Path.Combine(directory, ManifestFile);
        var tmp = path + ".tmp-" + Guid.NewGuid().ToString("N")[..8];
        File.WriteAllText(tmp, JsonSerializer.Serialize(updated, Json));
        File.Move(tmp, path, overwrite: true);
        return updated;
    }

    public static CheckpointManifest ReadManifest(string directory)
    {
        var path = Path.Combine(directory, ManifestFile);
        if (!File.Exists(path)) throw new FileNotFoundException($"No {ManifestFile} in checkpoint directory '{directory}'.", path);
        var m = JsonSerializer.Deserialize<CheckpointManifest>(File.ReadAllText(path), Json)
                ?? throw new InvalidDataException($"{path} is empty.");
        if (m.Format != CheckpointManifest.FormatName)
            throw new InvalidDataException($"{path}: format '{m.Format}' is not '{CheckpointManifest.FormatName}'.");
        if (m.FormatVersion > CheckpointManifest.CurrentFormatVersion)
            throw new InvalidDataException($"{path}: format version {m.FormatVersion} is newer than supported {CheckpointManifest.CurrentFormatVersion}.");
        // Version 1 predates the name branch: its options have no NameBuckets, whose default now means "reads names".
        return m.FormatVersion < 2 ? m with { Model = m.Model with { NameBuckets = 0 }, Inputs = [ModelInputs.Photo] } : m;
    }

    public static Loaded Load(string directory, Device device)
    {
        TorchRuntime.Initialize();
        var m = ReadManifest(directory);
        var weights = Path.Combine(directory, m.WeightsFile);
        if (!File.Exists(weights)) throw new FileNotFoundException($"Checkpoint weights '{weights}' are missing.", weights);
        var sha = Sha256(weights);
        if (!string.Equals(sha, m.WeightsSha256, StringComparison.OrdinalIgnoreCase))
            throw new InvalidDataException($"{weights}: sha256 {sha[..12]} does not match the manifest ({m.WeightsSha256[..Math.Min(12, m.WeightsSha256.Length)]}); the checkpoint is corrupt or was modified.");
        var vocab = VocabulariesOf(m);
        var net = new FashionNet(m.Model, m.ColourClasses.Length, m.BrandClasses.Length, m.TypeClasses.Length, m.Vocabulary.Length);
        net.load(weights, strict: true);
        net.to(device);
        return new Loaded(net, vocab, m);
    }

    public static ModelVocabularies VocabulariesOf(CheckpointManifest m) => new(
        new LabelMaps(new LabelMap("colour", m.ColourClasses), new LabelMap("brand", m.BrandClasses), new LabelMap("type", m.TypeClasses)),
        new BrandRule(m.BrandLexicon, m.BrandLexiconMinCount, m.BrandKeepRatio),
        new Vocabulary(m.Vocabulary));

    public static string Sha256(string path)
    {
        using var s = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(s));
    }
}
