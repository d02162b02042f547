namespace Enrichment.Abstractions;

/// <summary>
/// A reviewer's decision on one predicted attribute: accept the model's value (<see cref="Value"/> null) or correct it.
/// Either way the value becomes the product's catalogue value, with its provenance kept. A correction to a value the
/// catalogue does not use for the attribute is refused unless <see cref="NewValue"/> confirms it (a typo such as
/// "Balck" must not become a colour unnoticed).
/// </summary>
[GenerateSerializer, Immutable, Alias("Enrichment.AttributeReviewRequest")]
public sealed record AttributeReviewRequest(
    [property: Id(0)] string Attribute,
    [property: Id(1)] string? Value,
    [property: Id(2)] string By,
    [property: Id(3)] string? Note = null,
    [property: Id(4)] bool NewValue = false);

/// <summary>A reviewer takes back the latest review of an attribute: the value and provenance before it return.</summary>
[GenerateSerializer, Immutable, Alias("Enrichment.UndoReviewRequest")]
public sealed record UndoReviewRequest(
    [property: Id(0)] string Attribute,
    [property: Id(1)] string By,
    [property: Id(2)] string? Note = null);

/// <summary>Why a review or an undo was refused; each is its own HTTP status.</summary>
public enum ReviewRefusal
{
    /// <summary>The request breaks a rule (400).</summary>
    Invalid,
    /// <summary>No product under this id (404).</summary>
    NotFound,
    /// <summary>The corrected value is not one the catalogue uses and was not confirmed as new (409).</summary>
    UnknownValue,
    /// <summary>Nothing to undo: no review stands for the attribute, or its history entry is no longer in the product (409).</summary>
    NothingToUndo,
}

/// <summary>
/// What a review (or an undo) did: the product as stored after it and the history entry it wrote; or why it was
/// refused, with the closest known values when the value was unknown.
/// </summary>
[GenerateSerializer, Immutable, Alias("Enrichment.ReviewOutcome")]
public sealed record ReviewOutcome(
    [property: Id(0)] ProductView? Product,
    [property: Id(1)] string? Refused)
{
    [Id(2)] public ReviewRefusal? Refusal { get; init; }
    /// <summary>For <see cref="ReviewRefusal.UnknownValue"/>: the known values nearest the one given, with how many products carry each.</summary>
    [Id(3)] public FacetValue[]? Closest { get; init; }
    [Id(4)] public ReviewHistoryEntry? Entry { get; init; }

    public static ReviewOutcome Refuse(ReviewRefusal kind, string why, FacetValue[]? closest = null) =>
        new(null, why) { Refusal = kind, Closest = closest };
}

/// <summary>What a history entry records.</summary>
public enum ReviewAction
{
    /// <summary>The reviewer took the model's value.</summary>
    Accepted,
    /// <summary>The reviewer gave another value.</summary>
    Corrected,
    /// <summary>The reviewer took back an earlier review (<see cref="ReviewHistoryEntry.Undoes"/>): its value and provenance before it returned.</summary>
    Undone,
}

/// <summary>
/// One review decision, as history: who, when, on which attribute, from which value to which, why. Entries are
/// numbered per product (1, 2, ...) and never change; an undo is an entry of its own.
/// </summary>
[GenerateSerializer, Immutable, Alias("Enrichment.ReviewHistoryEntry")]
public sealed record ReviewHistoryEntry
{
    [Id(0)] public required string ProductId { get; init; }
    [Id(1)] public required long Entry { get; init; }
    [Id(2)] public required string Attribute { get; init; }
    [Id(3)] public ReviewAction Action { get; init; }
    /// <summary>The product's catalogue value before (null: it had none).</summary>
    [Id(4)] public string? From { get; init; }
    /// <summary>The product's catalogue value after (null: it has none).</summary>
    [Id(5)] public string? To { get; init; }
    /// <summary>The value was not one the catalogue used for the attribute, and the reviewer confirmed it as new.</summary>
    [Id(6)] public bool NewValue { get; init; }
    [Id(7)] public required string By { get; init; }
    [Id(8)] public DateTimeOffset At { get; init; }
    [Id(9)] public string? Note { get; init; }
    /// <summary>For an undo: the entry it took back.</summary>
    [Id(10)] public long? Undoes { get; init; }
}

/// <summary>A page of the review history, newest first; <see cref="NextCursor"/> continues with older entries.</summary>
[GenerateSerializer, Immutable, Alias("Enrichment.ReviewHistoryPage")]
public sealed record ReviewHistoryPage(
    [property: Id(0)] ReviewHistoryEntry[] Items,
    [property: Id(1)] string? NextCursor);

/// <summary>
/// A reviewed attribute's provenance: the value decided, who decided it and when, what the catalogue said before and
/// what the model said (value, confidence, version).
/// </summary>
[GenerateSerializer, Immutable, Alias("Enrichment.AttributeReview")]
public sealed record AttributeReview
{
    [Id(0)] public required string Value { get; init; }
    [Id(1)] public required string By { get; init; }
    [Id(2)] public DateTimeOffset At { get; init; }
    [Id(3)] public string? CatalogueBefore { get; init; }
    [Id(4)] public string? ModelValue { get; init; }
    [Id(5)] public float? ModelConfidence { get; init; }
    [Id(6)] public string? ModelVersion { get; init; }
    [Id(7)] public string? Note { get; init; }
    /// <summary>True when the reviewer accepted the model's value, false when they gave another one.</summary>
    [Id(8)] public bool AcceptedModel { get; init; }
    /// <summary>The product's history entry that made this review (0: made before reviews were numbered).</summary>
    [Id(9)] public long Entry { get; init; }
    /// <summary>The value was new to the catalogue, confirmed by the reviewer.</summary>
    [Id(10)] public bool NewValue { get; init; }
}

/// <summary>One event the product applied (its recent history, newest last).</summary>
[GenerateSerializer, Immutable, Alias("Enrichment.AppliedEvent")]
public sealed record AppliedEvent(
    [property: Id(0)] string EventId,
    [property: Id(1)] long Version,
    [property: Id(2)] DateTimeOffset At);

/// <summary>The two review queues: where a confident model disagrees with the catalogue, and where the model is unsure.</summary>
public enum ReviewKind
{
    /// <summary>Catalogue and model differ and the model is at least this confident: likely catalogue errors, most confident first.</summary>
    Disagreement,
    /// <summary>The model's confidence is below the threshold: likely model errors, least confident first.</summary>
    LowConfidence,
}

[GenerateSerializer, Immutable, Alias("Enrichment.ReviewQuery")]
public sealed record ReviewQuery
{
    [Id(0)] public ReviewKind Kind { get; init; }
    [Id(1)] public string Attribute { get; init; } = AttributeNames.Colour;
    [Id(2)] public float Threshold { get; init; } = 0.8f;
    [Id(3)] public string? After { get; init; }
    [Id(4)] public int Limit { get; init; } = 20;
}

/// <param name="Total">How many products the queue holds, counted up to <see cref="ReviewRules.MaxCountedQueue"/>.</param>
/// <param name="TotalCapped">True when the queue holds more than that: <paramref name="Total"/> is the cap, "10,000 or more".</param>
[GenerateSerializer, Immutable, Alias("Enrichment.ReviewPage")]
public sealed record ReviewPage(
    [property: Id(0)] ProductView[] Items,
    [property: Id(1)] string? NextCursor,
    [property: Id(2)] long Total = 0,
    [property: Id(3)] bool TotalCapped = false);

/// <summary>What a review and a review query may ask for.</summary>
public static class ReviewRules
{
    /// <summary>The attributes the models predict, and so the ones a reviewer judges.</summary>
    public static readonly IReadOnlyList<string> Reviewable = [AttributeNames.Colour, AttributeNames.Brand, AttributeNames.Type];
    public const int MaxNoteLength = 500;
    public const int MaxHistory = 10;
    /// <summary>Review history entries a product keeps; older ones are only in the review log.</summary>
    public const int MaxProductReviewHistory = 20;
    /// <summary>Decisions one bulk request may carry.</summary>
    public const int MaxBulk = 200;
    /// <summary>A queue's total is counted up to this; a longer queue says "at least".</summary>
    public const int MaxCountedQueue = 10_000;
    /// <summary>History entries one page may hold.</summary>
    public const int MaxHistoryPage = 200;
    /// <summary>Entries one page of the export (read by the client, streamed on) may hold.</summary>
    public const int MaxExportPage = 10_000;

    public static IReadOnlyList<string> Validate(ReviewQuery query)
    {
        var errors = new List<string>();
        if (!Enum.IsDefined(query.Kind)) errors.Add("kind must be disagreement or lowConfidence");
        if (!Reviewable.Contains(query.Attribute)) errors.Add($"attribute must be one of: {string.Join(", ", Reviewable)}");
        if (!float.IsFinite(query.Threshold) || query.Threshold is < 0 or > 1) errors.Add("threshold must be a number between 0 and 1");
        if (query.Limit is < 1 or > CatalogQueryRules.MaxLimit) errors.Add($"limit must be between 1 and {CatalogQueryRules.MaxLimit}");
        if (query.After is not null && ReviewCursor.Parse(query.After) is null) errors.Add("after is not a cursor this API issued");
        return errors;
    }

    public static string? Refusal(AttributeReviewRequest request)
    {
        if (!Reviewable.Contains(request.Attribute)) return $"attribute must be one of: {string.Join(", ", Reviewable)}";
        if (!TextRules.IsActorName(request.By))
            return $"'by' must name the reviewer, in at most {TextRules.MaxActorLength} characters";
        if (request.Value is { } value && (string.IsNullOrWhiteSpace(value) || value.Trim().Length > ProductEventValidator.MaxAttributeValueLength
                                           || value.Any(char.IsControl) || value.Any(TextRules.IsInvisibleOrBidiControl)))
            return $"the value must be plain text of 1 to {ProductEventValidator.MaxAttributeValueLength} characters";
        if (!TextRules.IsNote(request.Note, MaxNoteLength))
            return $"the note must be plain text of at most {MaxNoteLength} characters";
        return null;
    }

    public static string? Refusal(UndoReviewRequest request) =>
        Refusal(new AttributeReviewRequest(request.Attribute, null, request.By, request.Note));
}

/// <summary>What a request for the review history may ask.</summary>
public static class ReviewLogRules
{
    public static string? Problem(int limit, string? before, string? productId)
    {
        if (limit is < 1 or > ReviewRules.MaxHistoryPage) return $"limit must be between 1 and {ReviewRules.MaxHistoryPage}";
        if (before is not null && ReviewLogCursor.ParseSequence(before) is null) return "before is not a cursor this API returned";
        if (productId is not null && !ProductEventValidator.IsValidProductId(productId)) return "productId is not a valid product id";
        return null;
    }
}

/// <summary>The review history's cursors, opaque to callers: a log sequence (newest first) or a (product, entry) key (the export).</summary>
public static class ReviewLogCursor
{
    public static string OfSequence(long sequence) => Base64Url.Encode(sequence.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public static long? ParseSequence(string cursor) =>
        Base64Url.Decode(cursor, 64) is { } text && long.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var s) && s > 0
            ? s : null;

    public static string OfKey(string productId, long entry) =>
        Base64Url.Encode($"{productId}|{entry.ToString(System.Globalization.CultureInfo.InvariantCulture)}");

    public static (string ProductId, long Entry)? ParseKey(string cursor)
    {
        var text = Base64Url.Decode(cursor, 4 * (ProductEventValidator.MaxIdLength + 24));
        var bar = text?.LastIndexOf('|') ?? -1;
        return bar > 0 && ProductEventValidator.IsValidProductId(text![..bar])
               && long.TryParse(text[(bar + 1)..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var entry)
            ? (text[..bar], entry)
            : null;
    }
}

/// <summary>The review queues' keyset cursor: the last row's confidence and product id, opaque to callers.</summary>
public static class ReviewCursor
{
    public static string Of(float confidence, string productId) =>
        Base64Url.Encode($"{confidence.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}|{productId}");

    public static (float Confidence, string ProductId)? Parse(string cursor)
    {
        var text = Base64Url.Decode(cursor, maxLength: 4 * (ProductEventValidator.MaxIdLength + 16));
        var bar = text?.IndexOf('|') ?? -1;
        return bar > 0
               && float.TryParse(text![..bar], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var c)
               && float.IsFinite(c) && ProductEventValidator.IsValidProductId(text[(bar + 1)..])
            ? (c, text[(bar + 1)..])
            : null;
    }
}
