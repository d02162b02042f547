using Enrichment.Models.Networks;
using TorchSharp;
using static TorchSharp.torch;

namespace Enrichment.Models;

/// <summary>
/// Inference facade used by the model grains. Thread-safety: <see cref="Predict"/> may be called
/// concurrently from several threads — the network is in eval mode and never mutated, no_grad is entered
/// per calling thread, and every call owns its tensors. For throughput with N concurrent workers, call
/// <c>TorchRuntime.Initialize(intraOpThreads: 1)</c> (1 intra-op thread per worker beats sharing).
/// <see cref="Dispose"/> must not race with Predict.
/// </summary>
public sealed class EnrichmentModel : IDisposable
{
    private readonly FashionNet _net;
    private bool _disposed;

    public string Version { get; }
    public ModelOptions Options => _net.Options;
    public LabelMaps Labels { get; }
    public Vocabulary Vocabulary { get; }
    public Device Device { get; }
    /// <summary>Where the model runs, for logs and status ("cpu", "cuda:0").</summary>
    public string DeviceName => Device.ToString();
    public ImagePreprocessing Preprocessing => _net.Options.Preprocessing;
    /// <summary>The manifest when loaded from a checkpoint; null for an untrained model.</summary>
    public CheckpointManifest? Manifest { get; }

    private EnrichmentModel(FashionNet net, LabelMaps labels, Vocabulary vocab, Device device, string version, CheckpointManifest? manifest)
    {
        _net = net; Labels = labels; Vocabulary = vocab; Device = device; Version = version; Manifest = manifest;
        _net.to(device);
        _net.eval();
    }

    /// <summary>Loads weights.bin + manifest.json (sha256-verified). Version = "sha256:" + first 12 hex digits of the weights.</summary>
    public static EnrichmentModel Load(string checkpointDir, Device device)
    {
        var loaded = Checkpoint.Load(checkpointDir, device);
        return new EnrichmentModel(loaded.Network, loaded.Vocabularies.Labels, loaded.Vocabularies.Words, device,
                                   VersionIdOf(loaded.Manifest.WeightsSha256), loaded.Manifest);
    }

    /// <summary>
    /// Loads onto the device named by <paramref name="deviceName"/> ("cpu", "cuda", "cuda:N", null for the best
    /// available), so that hosts outside this library never handle a TorchSharp device.
    /// </summary>
    public static EnrichmentModel Load(string checkpointDir, string? deviceName) => Load(checkpointDir, TorchDevices.Select(deviceName));

    /// <summary>The version id of a checkpoint, from the SHA-256 of its weights; the cluster's registry uses the same ids.</summary>
    public static string VersionIdOf(string weightsSha256) => "sha256:" + weightsSha256[..12];

    /// <summary>Freshly initialised weights (tests, load tests, plumbing before a model is trained).</summary>
    public static EnrichmentModel CreateUntrained(ModelOptions options, LabelMaps maps, Vocabulary vocab, Device device)
    {
        TorchRuntime.Initialize();
        var net = new FashionNet(options, maps.Colour.Count, maps.Brand.Count, maps.Type.Count, vocab.Count);
        return new EnrichmentModel(net, maps, vocab, device, "untrained", null);
    }

    /// <summary>Saves as a checkpoint directory (brand lexicon empty: it only matters for training labels).</summary>
    public CheckpointManifest Save(string checkpointDir) =>
        Checkpoint.Save(checkpointDir, _net, new ModelVocabularies(Labels, new BrandRule(new Dictionary<string, string>(), 0, 0), Vocabulary));

    /// <summary>What the model reads: ["photo"] or ["photo", "name"].</summary>
    public IReadOnlyList<string> Inputs => Options.Inputs;

    /// <summary>Photo-only predictions (a name model sees empty names).</summary>
    public IReadOnlyList<ImagePrediction> Predict(IReadOnlyList<DecodedImage> batch) =>
        Predict(batch.Select(image => new ModelInput(image)).ToArray());

    /// <summary>
    /// One forward pass for the whole batch under no_grad. Images must match <see cref="Preprocessing"/>; names are
    /// read when the model takes them (<see cref="ModelOptions.ReadsName"/>) and ignored otherwise.
    /// </summary>
    public IReadOnlyList<ImagePrediction> Predict(IReadOnlyList<ModelInput> inputs)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.Count == 0) return Array.Empty<ImagePrediction>();
        var batch = inputs.Select(i => i?.Image!).ToArray();
        int h = Options.InputHeight, w = Options.InputWidth, size = 3 * h * w;
        var data = new float[batch.Length * size];
        for (int i = 0; i < batch.Length; i++)
        {
            var img = batch[i] ?? throw new ArgumentException($"Image {i} is null.", nameof(batch));
            if (img.Height != h || img.Width != w || img.Chw.Length != size)
                throw new ArgumentException($"Image {i} is {img.Width}x{img.Height}; this model expects {w}x{h} (decode with the model's Preprocessing).", nameof(batch));
            img.Chw.CopyTo(data, i * size);
        }

        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var x = tensor(data, new long[] { batch.Length, 3, h, w }).to(Device);
        Tensor? names = null;
        if (Options.ReadsName && inputs.Any(i => !string.IsNullOrWhiteSpace(i.Name)))
            names = LabeledSet.NameTensor(inputs.Select(i => NameFeatures.Encode(i.Name, Options.NameBuckets, Options.NameMaxFeatures)).ToArray(), Device);
        var o = _net.Forward(x, names);
        // Each row reads the name only when it has one: a batch mixes modes, and each mode has its own temperatures.
        var rowModes = inputs.Select(i => Options.ReadsName && !string.IsNullOrWhiteSpace(i.Name) ? InputMode.PhotoAndName : InputMode.Photo).ToArray();
        var colour = Top1(o.Colour, Labels.Colour, "colour", rowModes);
        var brand = Top1(o.Brand, Labels.Brand, "brand", rowModes);
        var type = Top1(o.Type, Labels.Type, "type", rowModes);
        var tokens = _net.Captioner.Greedy(o.Features, Options.MaxCaptionTokens + 1);
        var result = new ImagePrediction[batch.Length];
        for (int i = 0; i < result.Length; i++)
            result[i] = new ImagePrediction(colour[i], brand[i], type[i], Vocabulary.Decode(tokens[i], skipUnknown: true), rowModes[i]);
        return result;
    }

    private AttributePrediction[] Top1(Tensor logits, LabelMap map, string head, InputMode[] rowModes)
    {
        var divisors = rowModes.Select(m => (float)Temperatures.For(Manifest?.Temperatures, m, head)).ToArray();
        using var t = tensor(divisors, new long[] { divisors.Length, 1 }, device: logits.device);
        var (values, indexes) = softmax(logits.div(t), 1).max(1);
        var p = values.cpu().data<float>().ToArray();
        var ix = indexes.cpu().data<long>().ToArray();
        return p.Select((conf, i) => new AttributePrediction(map.Classes[(int)ix[i]], conf)).ToArray();
    }

    /// <summary>Raw network access for evaluation tooling.</summary>
    internal FashionNet Network => _net;

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _net.Dispose();
    }
}
