using TorchSharp;
using static TorchSharp.torch;

namespace Enrichment.Models;

/// <summary>One tensor batch: normalised images, hashed names (null for photo only) and the targets of every head.</summary>
public sealed record Batch(Tensor Images, Tensor? Names, Tensor Type, Tensor Colour, Tensor Brand, Tensor CaptionInput, Tensor CaptionTarget);

/// <summary>How a training batch is varied: the photo augmentation and the share of rows whose name is dropped
/// (modality dropout, so the same model serves a product with no useful name).</summary>
public sealed record BatchAugmentation(Random Rng, PhotoAugmentation Photo, double NameDropout);

/// <summary>Rows of one split with preloaded pixels and encoded targets for all heads.</summary>
public sealed class LabeledSet
{
    public IReadOnlyList<CatalogRow> Rows { get; }
    public PreloadedImages Images { get; }
    public int[] Type { get; }
    public int[] Colour { get; }
    public int[] Brand { get; }
    public int[][] Caption { get; }
    /// <summary>Hashed name features per row (<see cref="NameFeatures"/>); empty arrays for a photo-only model.</summary>
    public int[][] Names { get; }
    public IReadOnlyDictionary<int, string> Failed { get; }
    public int Count => Rows.Count;

    private static readonly float[] Scale = ImagePreprocessing.Std.Select(s => 1f / (255f * s)).ToArray();
    private static readonly float[] Shift = ImagePreprocessing.Mean.Zip(ImagePreprocessing.Std, (m, s) => -m / s).ToArray();

    private LabeledSet(IReadOnlyList<CatalogRow> rows, PreloadedImages images, int[] type, int[] colour, int[] brand, int[][] caption,
                       int[][] names, IReadOnlyDictionary<int, string> failed)
    {
        Rows = rows; Images = images; Type = type; Colour = colour; Brand = brand; Caption = caption; Names = names; Failed = failed;
    }

    /// <summary>Decodes all images (in parallel) and encodes labels; rows whose image fails to decode are dropped.</summary>
    public static LabeledSet Build(IReadOnlyList<CatalogRow> rows, string imagesDir, ModelOptions model, ModelVocabularies vocab,
                                   IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        var pre = model.Preprocessing;
        var paths = rows.Select(r => CatalogReader.ImagePath(imagesDir, r.Id)).ToArray();
        var images = PreloadedImages.Load(paths, pre, out var failed, progress, cancellationToken);
        if (failed.Count > 0)
        {
            // Compact: keep only decodable rows so indices stay dense.
            var keep = Enumerable.Range(0, rows.Count).Where(i => !failed.ContainsKey(i)).ToArray();
            var kept = keep.Select(i => rows[i]).ToArray();
            images = images.Select(keep);
            rows = kept;
        }
        var type = rows.Select(r => vocab.Labels.Type.IndexOf(r.ArticleType)).ToArray();
        var colour = rows.Select(r => vocab.Labels.Colour.IndexOf(r.BaseColour)).ToArray();
        var brand = rows.Select(r => vocab.Labels.Brand.IndexOf(vocab.Brands.Extract(r.DisplayName))).ToArray();
        var caption = rows.Select(r => vocab.Words.Encode(r.DisplayName, model.MaxCaptionTokens)).ToArray();
        var names = rows.Select(r => model.ReadsName ? NameFeatures.Encode(r.DisplayName, model.NameBuckets, model.NameMaxFeatures) : []).ToArray();
        return new LabeledSet(rows, images, type, colour, brand, caption, names, failed);
    }

    /// <summary>
    /// Builds a batch. <paramref name="mode"/> <see cref="InputMode.Photo"/> leaves the names out (null); with
    /// <paramref name="augment"/> each photo is augmented and each name dropped with its probability.
    /// </summary>
    public Batch MakeBatch(ReadOnlySpan<int> indices, Device device, BatchAugmentation? augment = null, InputMode mode = InputMode.PhotoAndName)
    {
        int b = indices.Length, h = Images.Height, w = Images.Width, size = Images.ImageBytes;
        var pixels = new byte[b * size];
        for (int k = 0; k < b; k++)
        {
            var src = Images.Image(indices[k]);
            var dst = pixels.AsSpan(k * size, size);
            if (augment is not null) augment.Photo.Apply(src, dst, h, w, augment.Rng);
            else src.CopyTo(dst);
        }
        var images = ToNormalisedTensor(pixels, b, h, w, device);
        Tensor? names = null;
        if (mode == InputMode.PhotoAndName && Names.Length > 0 && Names.Any(n => n.Length > 0))
        {
            var kept = new int[b][];
            for (int k = 0; k < b; k++)
                kept[k] = augment is not null && augment.Rng.NextDouble() < augment.NameDropout ? [] : Names[indices[k]];
            names = NameTensor(kept, device);
        }

        int maxLen = 0;
        for (int k = 0; k < b; k++) maxLen = Math.Max(maxLen, Caption[indices[k]].Length);
        int t = maxLen + 1;
        var capIn = new long[b * t];
        var capOut = new long[b * t];
        var ty = new long[b]; var co = new long[b]; var br = new long[b];
        for (int k = 0; k < b; k++)
        {
            int i = indices[k];
            ty[k] = Type[i]; co[k] = Colour[i]; br[k] = Brand[i];
            var tokens = Caption[i];
            capIn[k * t] = Vocabulary.Start;
            for (int j = 0; j < tokens.Length; j++) { capIn[k * t + j + 1] = tokens[j]; capOut[k * t + j] = tokens[j]; }
            capOut[k * t + tokens.Length] = Vocabulary.End;
        }
        return new Batch(images, names,
            tensor(ty, device: device), tensor(co, device: device), tensor(br, device: device),
            tensor(capIn, new long[] { b, t }, device: device), tensor(capOut, new long[] { b, t }, device: device));
    }

    /// <summary>Hashed names [B, L] padded with 0 (L at least 1, so an all-empty batch is a valid bag of padding).</summary>
    public static Tensor NameTensor(IReadOnlyList<int[]> names, Device device)
    {
        int length = Math.Max(1, names.Max(n => n.Length));
        var data = new long[names.Count * length];
        for (int k = 0; k < names.Count; k++)
            for (int j = 0; j < names[k].Length; j++) data[k * length + j] = names[k][j];
        return tensor(data, new long[] { names.Count, length }, device: device);
    }

    /// <summary>uint8 NCHW -> normalised float NCHW on the device (normalisation done by libtorch, vectorised).</summary>
    public static Tensor ToNormalisedTensor(byte[] pixels, int batch, int height, int width, Device device)
    {
        using var raw = tensor(pixels, new long[] { batch, 3, height, width });
        using var f = raw.to(ScalarType.Float32, device);
        using var scale = tensor(Scale, new long[] { 1, 3, 1, 1 }, device: device);
        using var shift = tensor(Shift, new long[] { 1, 3, 1, 1 }, device: device);
        return f.mul(scale).add_(shift);
    }
}
