using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Enrichment.Evaluation;

/// <summary>Which products belong to the evaluation set: <see cref="Fraction"/> of them, chosen by <see cref="Seed"/>.</summary>
public sealed record EvaluationOptions(int Seed = EvaluationSet.DefaultSeed, double Fraction = EvaluationSet.DefaultFraction, int MaxRows = 2_000);

/// <summary>
/// The rows every model is scored on and none is trained on. Membership is a seeded hash of the product id, so a
/// product is chosen once and for good (it never moves as the catalogue grows, and nothing needs storing per product),
/// and every class keeps the same expected share. The model CLI and the cluster use the same rule, so a checkpoint
/// trained offline with <c>--exclude-evaluation</c> never saw the cluster's evaluation rows.
/// </summary>
public static class EvaluationSet
{
    public const int DefaultSeed = 1124;
    public const double DefaultFraction = 0.2;

    public static bool Contains(string productId, EvaluationOptions options) => Position(productId, options.Seed) < options.Fraction;

    /// <summary>Where the id falls in [0, 1) under the seed.</summary>
    public static double Position(string productId, int seed)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes($"{seed}:{productId}"), hash);
        return (BinaryPrimitives.ReadUInt64BigEndian(hash) >> 11) / (double)(1UL << 53);
    }
}
