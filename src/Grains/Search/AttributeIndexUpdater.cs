using Enrichment.Abstractions;

namespace Enrichment.Grains;

/// <summary>Moves a product between index entries when its searchable attributes change.</summary>
public static class AttributeIndexUpdater
{
    public static Task UpdateAsync(IGrainFactory grains, string productId, ProductView? before, ProductView? after)
    {
        var old = Entries(before);
        var @new = Entries(after);
        var shard = IndexKeys.ShardOf(productId);
        var removals = old.Except(@new).Select(key => grains.GetGrain<IAttributeIndexGrain>(Key(key, shard)).Remove(productId));
        var additions = @new.Except(old).Select(key => grains.GetGrain<IAttributeIndexGrain>(Key(key, shard)).Add(productId));
        return Task.WhenAll(removals.Concat(additions));
    }

    private static HashSet<(string Attribute, string Value)> Entries(ProductView? product) =>
        product is null
            ? []
            : product.EffectiveAttributes()
                .Where(a => AttributeNames.IsSearchable(a.Key))
                .Select(a => (a.Key, AttributeNames.NormalizeValue(a.Value)))
                .Append((Training.CatalogListing.Attribute, Training.CatalogListing.Value))
                .ToHashSet();

    private static string Key((string Attribute, string Value) entry, int shard) =>
        IndexKeys.For(entry.Attribute, entry.Value, shard);
}
