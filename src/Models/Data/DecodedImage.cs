namespace Enrichment.Models;

/// <summary>A preprocessed image: normalised RGB floats in CHW order, ready to be stacked into a batch.</summary>
public sealed record DecodedImage(float[] Chw, int Height, int Width)
{
    public int Channels => 3;
}
