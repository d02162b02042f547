using Enrichment.Abstractions;
using Enrichment.Persistence.Catalog;

namespace Enrichment.Grains.Products;

/// <summary>Pure rules for a reviewer's decision, and for how reviewed values live on when the catalogue sends events.</summary>
public static class ProductReviews
{
    /// <summary>The product with the reviewed value as its catalogue value and the review's provenance; or why not.</summary>
    public static (Product? Product, string? Refused) Apply(Product product, AttributeReviewRequest request, DateTimeOffset now)
    {
        if (ReviewRules.Refusal(request) is { } refusal)
        {
            return (null, refusal);
        }
        var prediction = product.Enrichment?.Attributes.GetValueOrDefault(request.Attribute);
        if (request.Value is null && prediction is null)
        {
            return (null, $"the model predicted no {request.Attribute} for this product: give the value to correct it with");
        }
        var value = request.Value is { } given ? TextRules.Nfc(given.Trim()) : prediction!.Value;
        var catalogue = product.KnownAttributes.GetValueOrDefault(request.Attribute);
        var review = new AttributeReview
        {
            Value = value,
            By = request.By.Trim(),
            At = now,
            // The value the catalogue gave before any review: later events that repeat it keep the review.
            CatalogueBefore = product.Reviews.TryGetValue(request.Attribute, out var earlier) ? earlier.CatalogueBefore : catalogue,
            ModelValue = prediction?.Value,
            ModelConfidence = prediction?.Confidence,
            ModelVersion = product.Enrichment?.ModelVersion,
            Note = string.IsNullOrWhiteSpace(request.Note) ? null : request.Note.Trim(),
            AcceptedModel = request.Value is null,
        };
        return (product with
        {
            KnownAttributes = new(product.KnownAttributes, StringComparer.Ordinal) { [request.Attribute] = value },
            Reviews = new(product.Reviews, StringComparer.Ordinal) { [request.Attribute] = review },
            UpdatedAt = now,
        }, null);
    }

    /// <summary>
    /// Reviews that survive an event: one whose attribute the event still sends with the value the catalogue had when
    /// it was reviewed (or no longer sends) stands, and its value stays the catalogue value; an event that changes the
    /// catalogue's value supersedes the review.
    /// </summary>
    public static (Dictionary<string, string> Attributes, Dictionary<string, AttributeReview> Reviews) Merge(
        IReadOnlyDictionary<string, string> fromEvent, IReadOnlyDictionary<string, AttributeReview> reviews)
    {
        var attributes = new Dictionary<string, string>(fromEvent, StringComparer.Ordinal);
        var kept = new Dictionary<string, AttributeReview>(StringComparer.Ordinal);
        foreach (var (name, review) in reviews)
        {
            var sent = fromEvent.GetValueOrDefault(name);
            if (sent is null || Same(sent, review.CatalogueBefore) || Same(sent, review.Value))
            {
                attributes[name] = review.Value;
                kept[name] = review;
            }
        }
        return (attributes, kept);
    }

    private static bool Same(string a, string? b) =>
        b is not null && AttributeNames.NormalizeValue(a) == AttributeNames.NormalizeValue(b);
}
