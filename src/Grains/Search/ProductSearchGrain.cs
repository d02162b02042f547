using Enrichment.Abstractions;
using Orleans.Concurrency;

namespace Enrichment.Grains.Search;

[StatelessWorker]
public sealed class ProductSearchGrain : Grain, IProductSearchGrain
{
    public const int MaxPageSize = 200;

    /// <summary>Deepest result a page may start at: offsets are re-read on every query, so deep pages are refused, not slow.</summary>
    public const long MaxOffset = 100_000;

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
        // 64-bit: in 32 bits page 2147483647 wrapped to a negative offset, which Skip read as 0 (page 1).
        var offset = (query.Page - 1L) * query.PageSize;
        if (offset > MaxOffset)
        {
            throw new ArgumentException($"page * pageSize must stay within the first {MaxOffset} results; narrow the filters instead");
        }
        foreach (var name in query.Filters.Keys.Where(n => !AttributeNames.IsSearchable(n)))
        {
            throw new ArgumentException(
                $"'{ProductEventValidator.Excerpt(name)}' is not searchable; use one of: {string.Join(", ", AttributeNames.Searchable)}");
        }

        var perFilter = await Task.WhenAll(query.Filters.Select(f => MatchingIds(f.Key, f.Value)));
        var matches = perFilter.OrderBy(s => s.Count).Aggregate((acc, next) => { acc.IntersectWith(next); return acc; });
        var ordered = matches.Order(ProductIdComparer.Instance).ToList();
        var pageIds = ordered.Skip((int)offset).Take(query.PageSize);
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
