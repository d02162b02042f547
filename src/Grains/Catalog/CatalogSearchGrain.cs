using Enrichment.Abstractions;
using Enrichment.Persistence.Catalog;
using Orleans.Concurrency;

namespace Enrichment.Grains.Catalog;

/// <summary>Answers searches from the read model; stateless, so every silo serves them locally.</summary>
[StatelessWorker]
public sealed class CatalogSearchGrain(ICatalogReadModel readModel) : Grain, ICatalogSearchGrain
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

    public Task<long> CountReviewed() => readModel.CountReviewedAsync();
}
