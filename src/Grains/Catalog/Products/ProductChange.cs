using Enrichment.Abstractions;
using Enrichment.Persistence.Catalog;

namespace Enrichment.Grains.Products;

/// <summary>Pure rules for folding an accepted event into a product.</summary>
public static class ProductChange
{
    public static Product Apply(Product? current, ProductEvent e, DateTimeOffset now)
    {
        // An update may omit the photos: the product keeps the ones it has. One that carries photos replaces them all.
        var photos = Photos(current, e);
        var image = photos.FirstOrDefault();
        // Predictions describe the photos and a name; any new, removed or reordered photo or a new name makes them
        // stale, so they are dropped until re-enriched (a photo-only model re-enriches a renamed product for nothing,
        // but rarely: names seldom change).
        var enrichment = current is not null && ProductPhotos.Same(photos, current.Images) && current.Name == e.Name.Trim() ? current.Enrichment : null;
        var (attributes, reviews) = ProductReviews.Merge(KnownAttributes(e), current?.Reviews ?? new Dictionary<string, AttributeReview>());
        return new Product
        {
            ProductId = e.ProductId,
            Version = e.Version,
            LastEventId = e.EventId,
            Name = Name(e),
            Image = image,
            MoreImages = [.. photos.Skip(1)],
            KnownAttributes = attributes,
            Reviews = reviews,
            RecentEvents = [.. (current?.RecentEvents ?? []).TakeLast(ReviewRules.MaxHistory - 1), new AppliedEvent(e.EventId, e.Version, now)],
            RecentEventIds = [.. (current?.RecentEventIds ?? []).TakeLast(Product.RememberedEventIds - 1), e.EventId],
            Enrichment = enrichment,
            EnrichmentStatus = image is null ? EnrichmentStatus.None
                : enrichment is null ? EnrichmentStatus.Pending
                : current!.EnrichmentStatus,
            EnrichmentNote = enrichment is null ? null : current!.EnrichmentNote,
            UpdatedAt = now,
        };
    }

    /// <summary>Whether applying <paramref name="e"/> would leave <paramref name="current"/>'s catalogue content as it is.</summary>
    public static bool SameContent(Product current, ProductEvent e) =>
        current.Name == Name(e)
        && ProductPhotos.Same(Photos(current, e), current.Images)
        && ProductReviews.Merge(KnownAttributes(e), current.Reviews).Attributes.OrderBy(a => a.Key, StringComparer.Ordinal)
            .SequenceEqual(current.KnownAttributes.OrderBy(a => a.Key, StringComparer.Ordinal));

    private static IReadOnlyList<ImageRef> Photos(Product? current, ProductEvent e) =>
        e.Photos.Count > 0 ? e.Photos : current?.Images ?? [];

    /// <summary>Names and values are stored in Unicode form C, whatever form the sender typed them in (see <see cref="TextRules.Nfc"/>).</summary>
    private static string Name(ProductEvent e) => TextRules.Nfc(e.Name.Trim());

    private static Dictionary<string, string> KnownAttributes(ProductEvent e) =>
        e.Attributes
            .Where(a => !string.IsNullOrWhiteSpace(a.Value))
            .ToDictionary(a => a.Key, a => TextRules.Nfc(a.Value.Trim()), StringComparer.Ordinal);
}
