using Enrichment.Abstractions;
using Enrichment.Persistence.Catalog;
using Orleans.Concurrency;

namespace Enrichment.Grains.Catalog;

/// <summary>Answers searches from the read model; stateless, so every silo serves them locally.</summary>
[StatelessWorker]
public sealed class CatalogSearchGrain(ICatalogReadModel readModel, Microsoft.Extensions.Options.IOptions<Enrichment.Grains.Catalog.EvaluationSetOptions> evaluation)
    : Grain, ICatalogSearchGrain
{
    public Task<CatalogPage> Search(CatalogQuery query)
    {
        // Checked here too so a bad query never reaches SQL, whoever sends it.
        CatalogQueryRules.EnsureValid(query);
        return readModel.SearchAsync(query);
    }

    public Task<ReviewPage> Review(ReviewQuery query)
    {
        if (ReviewRules.Validate(query) is { Count: > 0 } errors)
        {
            throw new ArgumentException(string.Join("; ", errors));
        }
        return readModel.ReviewAsync(query);
    }

    /// <summary>
    /// Reviewed products, and those the next retraining learns from: labelled (the export takes only products with a
    /// photo and the catalogue's type and colour) and outside the evaluation set (held out to score models). Reviews are made by people, so paging through them stays cheap at any catalogue size.
    /// </summary>
    public async Task<ReviewedLabels> CountReviewed()
    {
        var rule = evaluation.Value.ToModel();
        var (total, training) = (0L, 0L);
        string? after = null;
        while (await readModel.ListReviewedAsync(after, 1_000) is { Count: > 0 } page)
        {
            total += page.Count;
            // What the next training learns from: what its export takes (labelled, outside the evaluation set).
            training += page.Count(p => p.Labelled && !Enrichment.Evaluation.EvaluationSet.Contains(p.ProductId, rule));
            after = page[^1].ProductId;
        }
        return new ReviewedLabels(total, training);
    }

    public async Task<ModelVersionCount[]> CountByModelVersion() =>
        (await readModel.CountByModelVersionAsync()).OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => new ModelVersionCount(c.Key, c.Value)).ToArray();
}
