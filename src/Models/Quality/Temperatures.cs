using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace Enrichment.Models;

/// <summary>
/// Temperature scaling (Guo et al. 2017): one divisor of the logits per input mode and head, fitted on the validation
/// split after training, so that confidences mean what they say (label smoothing leaves a network under-confident).
/// Dividing by a positive number keeps every prediction's class, so accuracy is unchanged; only confidences move.
/// Keys are "&lt;input&gt;.&lt;head&gt;" ("photo+name.colour"); a missing key means 1.
/// </summary>
public static class Temperatures
{
    public static string Key(InputMode mode, string head) => $"{ModelInputs.Describe(mode)}.{head}";

    public static double For(IReadOnlyDictionary<string, double>? temperatures, InputMode mode, string head) =>
        temperatures is not null && temperatures.TryGetValue(Key(mode, head), out var t) && t > 0 ? t : 1;

    /// <summary>The logits to read confidences from.</summary>
    public static Tensor Scale(Tensor logits, double temperature) => temperature == 1 ? logits.alias() : logits.div(temperature);

    /// <summary>The temperature minimising the negative log-likelihood of <paramref name="targets"/> (a log-spaced grid, then a finer one).</summary>
    public static double Fit(Tensor logits, Tensor targets)
    {
        using var scope = NewDisposeScope();
        double Nll(double t) => cross_entropy(logits.div(t), targets).item<float>();
        double best = 1, bestNll = Nll(1);
        void Search(double centre, double halfWidth, int steps)
        {
            for (int i = 0; i < steps; i++)
            {
                double t = Math.Exp(centre - halfWidth + 2 * halfWidth * i / (steps - 1));
                double nll = Nll(t);
                if (nll < bestNll) { best = t; bestNll = nll; }
            }
        }
        Search(0, 1.5, 31);             // T in [0.22, 4.5], steps of 10 %
        Search(Math.Log(best), 0.1, 21); // then 1 % steps around the best
        return best;
    }
}
