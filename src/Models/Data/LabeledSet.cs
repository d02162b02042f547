using TorchSharp;
using static TorchSharp.torch;

namespace Enrichment.Models;

/// <summary>One tensor batch: normalised images plus the targets of every head.</summary>
public sealed record Batch(Tensor Images, Tensor Type, Tensor Colour, Tensor Brand, Tensor CaptionInput, Tensor CaptionTarget);

/// <summary>Rows of one split with preloaded pixels and encoded targets for all heads.</summary>
public sealed class LabeledSet
{
    public IReadOnlyList<CatalogRow> Rows { get; }
    public PreloadedImages Images { get; }
    public int[] Type { get; }
    public int[] Colour { get; }
    public int[] Brand { get; }
    public int[][] Caption { get; }
    public IReadOnlyDictionary<int, string> Failed { get; }
    public int Count => Rows.Count;

    private static readonly float[] Scale = ImagePreprocessing.Std.Select(s => 1f / (255f * s)).ToArray();
    private static readonly float[] Shift = ImagePreprocessing.Mean.Zip(ImagePreprocessing.Std, (m, s) => -m / s).ToArray();

    private LabeledSet(IReadOnlyList<CatalogRow> rows, PreloadedImages images, int[] type, int[] colour, int[] brand, int[][] caption, IReadOnlyDictionary<int, string> failed)
    {
        Rows = rows; Images = images; Type = type; Colour = colour; Brand = brand; Caption = caption; Failed = failed;
    }

    /// <summary>Decodes all images (in parallel) and encodes labels; rows whose image fails to decode are dropped.</summary>
    public static LabeledSet Build(IReadOnlyList<CatalogRow> rows, string imagesDir, ImagePreprocessing pre, ModelVocabularies vocab,
                                   int maxCaptionTokens, IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
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
        var caption = rows.Select(r => vocab.Words.Encode(r.DisplayName, maxCaptionTokens)).ToArray();
        return new LabeledSet(rows, images, type, colour, brand, caption, failed);
    }

    /// <summary>Builds a batch; with <paramref name="flipRng"/> each image is mirrored left-right with p = 0.5.</summary>
    public Batch MakeBatch(ReadOnlySpan<int> indices, Device device, Random? flipRng = null)
    {
        int b = indices.Length, h = Images.Height, w = Images.Width, size = Images.ImageBytes, plane = h * w;
        var pixels = new byte[b * size];
        for (int k = 0; k < b; k++)
        {
            var src = Images.Image(indices[k]);
            var dst = pixels.AsSpan(k * size, size);
            if (flipRng is not null && flipRng.Next(2) == 1)
            {
                for (int row = 0; row < 3 * h; row++)
                {
                    var s = src.Slice(row * w, w);
                    var d = dst.Slice(row * w, w);
                    for (int x = 0; x < w; x++) d[x] = s[w - 1 - x];
                }
            }
            else src.CopyTo(dst);
        }
        var images = ToNormalisedTensor(pixels, b, h, w, device);

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
        return new Batch(images,
            tensor(ty, device: device), tensor(co, device: device), tensor(br, device: device),
            tensor(capIn, new long[] { b, t }, device: device), tensor(capOut, new long[] { b, t }, device: device));
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
