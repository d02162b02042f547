using Enrichment.Models;
using static TorchSharp.torch;

namespace Enrichment.Models.Tests;

[Collection("torch")]
[Trait("Category", "Unit")]
public sealed class MetricsTests
{
    [Fact]
    public void Bleu_matches_hand_computed_values()
    {
        var perfect = new Bleu();
        perfect.Add("nike men black shoe".Split(' '), "nike men black shoe".Split(' '));
        Assert.Equal(1.0, perfect.Score(4), 6);

        var partial = new Bleu();
        partial.Add("nike men red shoe".Split(' '), "nike men black shoe".Split(' '));
        Assert.Equal(0.75, partial.Score(1), 6);                       // 3/4 unigrams
        Assert.Equal(Math.Sqrt(0.75 * 1.0 / 3), partial.Score(2), 6);  // bigrams 1/3
        Assert.Equal(0, partial.Score(4));                              // no 4-gram match

        var brevity = new Bleu();
        brevity.Add("nike men".Split(' '), "nike men black shoe".Split(' '));
        Assert.Equal(Math.Exp(1 - 4.0 / 2), brevity.Score(1), 6);
    }

    [Fact]
    public void Classification_metrics_count_top1_top5_and_confusions()
    {
        var m = new ClassificationMetrics(Enumerable.Range(0, 7).Select(i => $"c{i}").ToArray());
        using var logits = tensor(new float[]
        {
            9, 8, 7, 6, 5, 4, 3,   // predicts 0; target 0 -> top1
            9, 8, 7, 6, 5, 4, 3,   // target 4 -> top5 only
            9, 8, 7, 6, 5, 4, 3,   // target 6 -> miss
        }, new long[] { 3, 7 });
        using var targets = tensor(new long[] { 0, 4, 6 });
        m.Add(logits, targets);
        Assert.Equal(1.0 / 3, m.Top1, 6);
        Assert.Equal(2.0 / 3, m.Top5, 6);
        Assert.Equal(1, m[4, 0]);
        Assert.Equal(2, m.TopConfusions(5).Count);
        Assert.Equal(1.0, m.PerClass()[0].Recall);
    }
}
