using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Enrichment.Models.Networks;

/// <summary>
/// Caption decoder: Embedding(n, 64) -> GRU(64, 512) -> Linear(512, n); the GRU's initial hidden state is
/// Linear(featureDim, 512) of the image features. Training uses teacher forcing; inference decodes greedily.
/// </summary>
public sealed class Annotator : Module<Tensor, Tensor, Tensor>
{
    private readonly Embedding embedding;
    private readonly GRU gru;
    private readonly Linear init_hidden;
    private readonly Linear output;
    private readonly bool _finetune;

    public int VocabularySize { get; }

    public Annotator(int nVocab, int featureDim, int embeddingDim = 64, int hiddenDim = 512, bool finetune = true) : base(nameof(Annotator))
    {
        VocabularySize = nVocab;
        _finetune = finetune;
        embedding = Embedding(nVocab, embeddingDim);
        gru = GRU(embeddingDim, hiddenDim, numLayers: 1, batchFirst: true);
        init_hidden = Linear(featureDim, hiddenDim);
        output = Linear(hiddenDim, nVocab);
        RegisterComponents();
    }

    /// <summary>Teacher forcing: tokens [B, T] (starting with &lt;s&gt;) -> logits [B, T, nVocab].</summary>
    public override Tensor forward(Tensor features, Tensor tokens)
    {
        using var scope = NewDisposeScope();
        var h0 = InitialHidden(features);
        var (o, _) = gru.forward(embedding.forward(tokens), h0);
        return output.forward(o).MoveToOuterDisposeScope();
    }

    /// <summary>Greedy decoding from &lt;s&gt; until every sequence emitted &lt;/s&gt; or maxLength tokens.
    /// Returns token ids [B, L] (L &lt;= maxLength); positions after &lt;/s&gt; hold &lt;/s&gt;.</summary>
    public long[][] Greedy(Tensor features, int maxLength)
    {
        using var scope = NewDisposeScope();
        long batch = features.shape[0];
        var h = InitialHidden(features);
        var token = full(new long[] { batch, 1 }, Vocabulary.Start, dtype: ScalarType.Int64, device: features.device);
        var result = Enumerable.Range(0, (int)batch).Select(_ => new List<long>()).ToArray();
        var done = new bool[batch];
        for (int t = 0; t < maxLength && done.Contains(false); t++)
        {
            var (o, hn) = gru.forward(embedding.forward(token), h);
            h = hn;
            token = output.forward(o).argmax(-1); // [B, 1]
            var ids = token.cpu().data<long>().ToArray();
            for (int b = 0; b < batch; b++)
            {
                if (done[b]) continue;
                result[b].Add(ids[b]);
                if (ids[b] == Vocabulary.End) done[b] = true;
            }
        }
        return result.Select(r => r.ToArray()).ToArray();
    }

    private Tensor InitialHidden(Tensor features)
    {
        var f = _finetune ? features : features.detach();
        return init_hidden.forward(f).unsqueeze(0);
    }
}
