using Enrichment.Abstractions;
using Enrichment.Persistence.Catalog;

namespace Enrichment.Grains.Products;

/// <summary>What a review decision (or an undo) makes of a product: the product after it and its history entry; or why not.</summary>
public sealed record ReviewDecision(Product? Product, ReviewHistoryEntry? Entry, ReviewRefusal? Refusal, string? Refused)
{
    public static ReviewDecision Refuse(ReviewRefusal kind, string why) => new(null, null, kind, why);
}

/// <summary>Pure rules for a reviewer's decision, its undo, and how reviewed values live on when the catalogue sends events.</summary>
public static class ProductReviews
{
    /// <summary>
    /// The product with the reviewed value as its catalogue value, the review's provenance and a history entry; or why
    /// not. <paramref name="knownSpelling"/> is the catalogue's spelling of the corrected value when the catalogue uses
    /// it for the attribute (null: it does not), so a known value is stored as the catalogue spells it and an unknown
    /// one only when the reviewer confirmed it as new.
    /// </summary>
    public static ReviewDecision Apply(Product product, AttributeReviewRequest request, string? knownSpelling, DateTimeOffset now)
    {
        if (ReviewRules.Refusal(request) is { } refusal)
        {
            return ReviewDecision.Refuse(ReviewRefusal.Invalid, refusal);
        }
        var prediction = product.Enrichment?.Attributes.GetValueOrDefault(request.Attribute);
        if (request.Value is null && prediction is null)
        {
            return ReviewDecision.Refuse(ReviewRefusal.Invalid, $"the model predicted no {request.Attribute} for this product: give the value to correct it with");
        }
        var given = request.Value is { } v ? TextRules.Nfc(v.Trim()) : null;
        if (given is not null && knownSpelling is null && !request.NewValue)
        {
            return ReviewDecision.Refuse(ReviewRefusal.UnknownValue,
                $"'{ProductEventValidator.Excerpt(given)}' is not a {request.Attribute} the catalogue uses: pick a known value, or confirm it as a new one (newValue: true)");
        }
        var value = given is null ? prediction!.Value : knownSpelling ?? given;
        var isNew = given is not null && knownSpelling is null;
        var catalogue = product.KnownAttributes.GetValueOrDefault(request.Attribute);
        var number = product.ReviewEntries + 1;
        var note = string.IsNullOrWhiteSpace(request.Note) ? null : request.Note.Trim();
        var by = request.By.Trim();
        var earlier = product.Reviews.GetValueOrDefault(request.Attribute);
        var review = new AttributeReview
        {
            Value = value,
            By = by,
            At = now,
            // The value the catalogue gave before any review: later events that repeat it keep the review.
            CatalogueBefore = earlier is not null ? earlier.CatalogueBefore : catalogue,
            ModelValue = prediction?.Value,
            ModelConfidence = prediction?.Confidence,
            ModelVersion = product.Enrichment?.ModelVersion,
            Note = note,
            AcceptedModel = request.Value is null,
            Entry = number,
            NewValue = isNew,
        };
        var entry = new ReviewHistoryEntry
        {
            ProductId = product.ProductId,
            Entry = number,
            Attribute = request.Attribute,
            Action = request.Value is null ? ReviewAction.Accepted : ReviewAction.Corrected,
            From = catalogue,
            To = value,
            NewValue = isNew,
            By = by,
            At = now,
            Note = note,
        };
        return new ReviewDecision(product with
        {
            KnownAttributes = new(product.KnownAttributes, StringComparer.Ordinal) { [request.Attribute] = value },
            Reviews = new(product.Reviews, StringComparer.Ordinal) { [request.Attribute] = review },
            ReviewHistory = Bounded(product.ReviewHistory, new ReviewStep(entry, earlier)),
            ReviewEntries = number,
            UpdatedAt = now,
        }, entry, null, null);
    }

    /// <summary>
    /// Takes back the review that stands for the attribute: the catalogue value before it and the review it replaced
    /// (if any) return, and the undo is a history entry of its own. Only a review the product still holds, made by an
    /// entry still in its bounded history, can be undone; one an event superseded is gone already.
    /// </summary>
    public static ReviewDecision Undo(Product product, UndoReviewRequest request, DateTimeOffset now)
    {
        if (ReviewRules.Refusal(request) is { } refusal)
        {
            return ReviewDecision.Refuse(ReviewRefusal.Invalid, refusal);
        }
        if (!product.Reviews.TryGetValue(request.Attribute, out var current))
        {
            return ReviewDecision.Refuse(ReviewRefusal.NothingToUndo, $"no review of {request.Attribute} stands on this product: nothing to undo");
        }
        var step = current.Entry == 0 ? null : product.ReviewHistory.LastOrDefault(s =>
            s.Entry.Entry == current.Entry && s.Entry.Attribute == request.Attribute && s.Entry.Action != ReviewAction.Undone);
        if (step is null)
        {
            return ReviewDecision.Refuse(ReviewRefusal.NothingToUndo,
                $"the review of {request.Attribute} is older than this product's last {ReviewRules.MaxProductReviewHistory} history entries " +
                "(it is in the review log): correct the value instead");
        }
        var attributes = new Dictionary<string, string>(product.KnownAttributes, StringComparer.Ordinal);
        if (step.Entry.From is { } before) attributes[request.Attribute] = before;
        else attributes.Remove(request.Attribute);
        var reviews = new Dictionary<string, AttributeReview>(product.Reviews, StringComparer.Ordinal);
        if (step.ReviewBefore is { } earlier) reviews[request.Attribute] = earlier;
        else reviews.Remove(request.Attribute);
        var number = product.ReviewEntries + 1;
        var entry = new ReviewHistoryEntry
        {
            ProductId = product.ProductId,
            Entry = number,
            Attribute = request.Attribute,
            Action = ReviewAction.Undone,
            From = product.KnownAttributes.GetValueOrDefault(request.Attribute),
            To = step.Entry.From,
            By = request.By.Trim(),
            At = now,
            Note = string.IsNullOrWhiteSpace(request.Note) ? null : request.Note.Trim(),
            Undoes = step.Entry.Entry,
        };
        return new ReviewDecision(product with
        {
            KnownAttributes = attributes,
            Reviews = reviews,
            ReviewHistory = Bounded(product.ReviewHistory, new ReviewStep(entry, current)),
            ReviewEntries = number,
            UpdatedAt = now,
        }, entry, null, null);
    }

    /// <summary>The history with <paramref name="step"/> appended, keeping the newest <see cref="ReviewRules.MaxProductReviewHistory"/>.</summary>
    private static List<ReviewStep> Bounded(List<ReviewStep> history, ReviewStep step) =>
        history.Append(step).TakeLast(ReviewRules.MaxProductReviewHistory).ToList();

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
