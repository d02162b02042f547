using Enrichment.Abstractions;
using Enrichment.Persistence.Catalog;

namespace Enrichment.Grains.Products;

/// <summary>Pure rules for folding a model's answer into a product.</summary>
public static class ProductEnrichment
{
    /// <summary>The product after a final answer; null when the answer means "try again later".</summary>
    public static Product? Apply(Product product, PooledPrediction pooled, DateTimeOffset now)
    {
        var result = pooled.Result;
        return result.Status switch
        {
            ModelResultStatus.Ok => product with
            {
                Enrichment = new Abstractions.PredictedEnrichment
                {
                    ModelVersion = result.ModelVersion ?? "unknown",
                    Attributes = result.Attributes,
                    Caption = result.Caption,
                    EnrichedAt = now,
                    Photos = pooled.Photos,
                    UnreadablePhotos = pooled.UnreadablePhotos,
                },
                EnrichmentStatus = EnrichmentStatus.Enriched,
                EnrichmentNote = null,
            },
            ModelResultStatus.BadImage => product with
            {
                Enrichment = new Abstractions.PredictedEnrichment
                {
                    ModelVersion = result.ModelVersion ?? "none",
                    EnrichedAt = now,
                    Error = result.Error,
                },
                EnrichmentStatus = EnrichmentStatus.ImageUnreadable,
                EnrichmentNote = null,
            },
            _ => null,
        };
    }

    /// <summary>What a product waits for, in words an operator can act on.</summary>
    public static string WaitingNote(ModelResult result) => result.Status switch
    {
        ModelResultStatus.Busy => $"model silo busy: {result.Error}",
        _ => result.Error ?? result.Status.ToString(),
    };
}
