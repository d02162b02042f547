using Enrichment.Abstractions;

namespace Enrichment.Persistence.Catalog;

/// <summary>
/// The read model of the embedded default, in one process's memory. Queries scan every product (fine for a demo
/// catalogue, linear in its size); the PostgreSQL read model is the one that holds at catalogue scale.
/// </summary>
public sealed class InMemoryCatalogReadModel : ICatalogReadModel
{
    private readonly Lock _gate = new();
    private readonly SortedDictionary<string, CatalogProjection> _products = new(StringComparer.Ordinal);

    /// <summary>The catalogue's spelling map, as catalog_spellings holds it: (attribute, normalised value) to its first spelling.</summary>
    private readonly Dictionary<(string Attribute, string Value), string> _spellings = new();

    /// <summary>Indexes what <see cref="InMemoryProductStore"/> stored at <paramref name="revision"/> (never moving a row backwards).</summary>
    internal void Project(Product product, long revision)
    {
        var view = product.ToView();
        var projection = CatalogProjection.Of(view, revision);
        lock (_gate)
        {
            foreach (var spelling in ValueSpellings.Of(view))
            {
                _spellings.TryAdd((spelling.Attribute, spelling.Value), spelling.Spelling);
            }
            if (!_products.TryGetValue(product.ProductId, out var stored) || stored.Revision < revision)
            {
                _products[product.ProductId] = projection;
            }
        }
    }

    public Task<CatalogPage> SearchAsync(CatalogQuery query, CancellationToken ct = default)
    {
        CatalogQueryRules.EnsureValid(query);
        SearchKey? after = query.After is null ? null : SearchOrder.KeyOf(CatalogCursor.Decode(query.After)!);
        var words = query.Text is null ? null : CatalogQueryRules.TextWords(query.Text);
        lock (_gate)
        {
            var matches = _products.Values.Where(p => p.Matches(query, words));
            // Sorted per page (LINQ keeps only the top rows when taken): linear in the catalogue, like the filters here.
            var (items, next) = KeysetPage.Of(
                matches.Select(p => (Row: p, Key: SearchOrder.KeyOf(query, p)))
                    .Where(r => after is null || SearchOrder.After(query, r.Key, after.Value))
                    .OrderBy(r => r.Key, SearchOrder.Comparer(query)),
                query.Limit, r => SearchOrder.CursorOf(query, r.Key));
            long? total = query.IncludeTotal ? matches.LongCount() : null;
            var facets = query.IncludeFacets ? Facets(matches, query, _spellings) : null;
            return Task.FromResult(new CatalogPage(items.Select(r => r.Row.View).ToArray(), next, total, facets));
        }
    }

    public Task<string?> KnownValueAsync(string attribute, string value, CancellationToken ct = default)
    {
        var wanted = CatalogProjection.Normalized(value);
        lock (_gate)
        {
            return Task.FromResult(_products.Values
                .FirstOrDefault(p => p.Attributes.TryGetValue(attribute, out var a) && a.Catalogue == wanted)?.View.KnownAttributes[attribute]);
        }
    }

    public Task<ReviewPage> ReviewAsync(ReviewQuery query, CancellationToken ct = default)
    {
        var cursor = query.After is null ? null : ReviewCursor.Parse(query.After);
        lock (_gate)
        {
            var all = _products.Values
                .Select(p => (Product: p, Confidence: p.ReviewConfidence(query)))
                .Where(q => q.Confidence is not null)
                .ToList();
            var total = Math.Min(all.Count, ReviewRules.MaxCountedQueue);
            var queued = all
                .Where(q => cursor is null || ReviewOrder.After(query, q.Confidence!.Value, q.Product.ProductId, cursor.Value))
                .Select(q => (q.Product.View, Confidence: q.Confidence!.Value));
            queued = ReviewOrder.Descending(query)
                ? queued.OrderByDescending(q => q.Confidence).ThenByDescending(q => q.View.ProductId, StringComparer.Ordinal)
                : queued.OrderBy(q => q.Confidence).ThenBy(q => q.View.ProductId, StringComparer.Ordinal);
            var (items, next) = KeysetPage.Of(queued, query.Limit, q => ReviewCursor.Of(q.Confidence, q.View.ProductId));
            return Task.FromResult(new ReviewPage(items.Select(q => q.View).ToArray(), next, total, all.Count > ReviewRules.MaxCountedQueue));
        }
    }

    public Task<IReadOnlyList<ReviewedProduct>> ListReviewedAsync(string? afterProductId, int limit, CancellationToken ct = default)
    {
        lock (_gate)
        {
            IReadOnlyList<ReviewedProduct> ids = _products.Values
                .Where(p => p.IsReviewed && (afterProductId is null || string.CompareOrdinal(p.ProductId, afterProductId) > 0))
                .Take(limit).Select(p => new ReviewedProduct(p.ProductId, p.IsLabelled)).ToList();
            return Task.FromResult(ids);
        }
    }

    public Task<IReadOnlyList<ProductView>> ListLabelledAsync(string? afterProductId, int limit, CancellationToken ct = default)
    {
        lock (_gate)
        {
            IReadOnlyList<ProductView> page = _products.Values
                .Where(p => afterProductId is null || string.CompareOrdinal(p.ProductId, afterProductId) > 0)
                .Where(p => p.IsLabelled)
                .Take(limit)
                .Select(p => p.View)
                .ToList();
            return Task.FromResult(page);
        }
    }

    public Task<IReadOnlyDictionary<string, long>> CountByModelVersionAsync(CancellationToken ct = default)
    {
        lock (_gate)
        {
            IReadOnlyDictionary<string, long> counts = _products.Values
                .Select(p => p.View.Enrichment?.ModelVersion).OfType<string>()
                .GroupBy(v => v, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.LongCount(), StringComparer.Ordinal);
            return Task.FromResult(counts);
        }
    }

    public Task<IReadOnlyList<string>> ListByModelVersionAsync(string modelVersion, string? afterProductId, int limit, CancellationToken ct = default)
    {
        lock (_gate)
        {
            IReadOnlyList<string> ids = _products.Values
                .Where(p => p.View.Enrichment?.ModelVersion == modelVersion
                            && (afterProductId is null || string.CompareOrdinal(p.ProductId, afterProductId) > 0))
                .Take(limit).Select(p => p.ProductId).ToList();
            return Task.FromResult(ids);
        }
    }

    private static AttributeFacet[] Facets(IEnumerable<CatalogProjection> matches, CatalogQuery query,
        IReadOnlyDictionary<(string Attribute, string Value), string> spellings)
    {
        var names = AttributeNames.Searchable.Append(ProvenanceFacet.Name).ToList();
        var counts = names.ToDictionary(a => a, _ => new Dictionary<string, long>(StringComparer.Ordinal));
        foreach (var product in matches)
        {
            foreach (var term in product.ProvenanceTerms)
            {
                counts[ProvenanceFacet.Name][term] = counts[ProvenanceFacet.Name].GetValueOrDefault(term) + 1;
            }
            foreach (var (name, attribute) in product.Attributes)
            {
                if (attribute.ValueFor(query.Source, query.MinConfidence) is { } value)
                {
                    counts[name][value] = counts[name].GetValueOrDefault(value) + 1;
                }
            }
        }
        return names
            .Select(name => new AttributeFacet(name, counts[name]
                .OrderByDescending(c => c.Value).ThenBy(c => c.Key, StringComparer.Ordinal)
                .Take(CatalogQueryRules.MaxFacetValues)
                .Select(c => new FacetValue(spellings.GetValueOrDefault((name, c.Key), c.Key), c.Value))
                .ToArray()))
            .ToArray();
    }
}
