namespace Enrichment.Abstractions;

/// <summary>
/// A reviewer's decision on one predicted attribute: accept the model's value (<see cref="Value"/> null) or correct it.
/// Either way the value becomes the product's catalogue value, with its provenance kept.
/// </summary>
[GenerateSerializer, Immutable, Alias("Enrichment.AttributeReviewRequest")]
public sealed record AttributeReviewRequest(
    [property: Id(0)] string Attribute,
    [property: Id(1)] string? Value,
    [property: Id(2)] string By,
    [property: Id(3)] string? Note = null);

/// <summary>What a review did: the product as stored after it, or why it was refused.</summary>
[GenerateSerializer, Immutable, Alias("Enrichment.ReviewOutcome")]
public sealed record ReviewOutcome(
    [property: Id(0)] ProductView? Product,
    [property: Id(1)] string? Refused)
{
    public static ReviewOutcome Refusal(string why) => new(null, why);
}

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

[GenerateSerializer, Immutable, Alias("Enrichment.ReviewPage")]
public sealed record ReviewPage(
    [property: Id(0)] ProductView[] Items,
    [property: Id(1)] string? NextCursor);

/// <summary>What a review and a review query may ask for.</summary>
public static class ReviewRules
{
    /// <summary>The attributes the models predict, and so the ones a reviewer judges.</summary>
    public static readonly IReadOnlyList<string> Reviewable = [AttributeNames.Colour, AttributeNames.Brand, AttributeNames.Type];
    public const int MaxNoteLength = 500;
    public const int MaxHistory = 10;

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
