using Enrichment.Abstractions;
using Orleans.Concurrency;

namespace Enrichment.Grains.Search;

[StatelessWorker]
public sealed class ProductSearchGrain : Grain, IProductSearchGrain
{
    public const int MaxPageSize = 200;

    public async Task<SearchPage> Search(SearchQuery query)
    {
        if (query.Filters.Count == 0)
        {
            throw new ArgumentException("at least one attribute filter is required");
        }
        if (query.Page < 1 || query.PageSize < 1 || query.PageSize > MaxPageSize)
        {
            throw new ArgumentException($"page must be >= 1 and pageSize between 1 and {MaxPageSize}");
        }
        foreach (var name in query.Filters.Keys.Where(n => !AttributeNames.IsSearchable(n)))
        {
            throw new ArgumentException(
                $"'{ProductEventValidator.Excerpt(name)}' is not searchable; use one of: {string.Join(", ", AttributeNames.Searchable)}");
        }

        var perFilter = await Task.WhenAll(query.Filters.Select(f => MatchingIds(f.Key, f.Value)));
        var matches = perFilter.OrderBy(s => s.Count).Aggregate((acc, next) => { acc.IntersectWith(next); return acc; });
        var ordered = matches.Order(ProductIdComparer.Instance).ToList();
        var pageIds = ordered.Skip((query.Page - 1) * query.PageSize).Take(query.PageSize);
        var views = await Task.WhenAll(pageIds.Select(id => GrainFactory.GetGrain<IProductGrain>(id).Get()));
        // The index is updated after the product is stored; re-checking filters hides an entry a crash left behind.
        var items = views.Where(v => v is not null && Matches(v, query.Filters)).Select(v => v!).ToArray();
        return new SearchPage(ordered.Count, query.Page, query.PageSize, items);
    }

    private async Task<HashSet<string>> MatchingIds(string attribute, string value)
    {
        var shards = await Task.WhenAll(Enumerable.Range(0, IndexKeys.ShardCount)
            .Select(shard => GrainFactory.GetGrain<IAttributeIndexGrain>(IndexKeys.For(attribute, value, shard)).GetProductIds()));
        return shards.SelectMany(ids => ids).ToHashSet(StringComparer.Ordinal);
    }

    private static bool Matches(ProductView view, Dictionary<string, string> filters)
    {
        var attributes = view.EffectiveAttributes();
        return filters.All(f => attributes.TryGetValue(f.Key, out var v)
            && AttributeNames.NormalizeValue(v) == AttributeNames.NormalizeValue(f.Value));
    }
}
