namespace Enrichment.Abstractions;

/// <summary>
/// The events refused at ingest, with reasons: an append-only log (a PostgreSQL table on the real store), read newest
/// first a page at a time. Stateless: every silo answers from the log.
/// </summary>
[Alias("Enrichment.IRejectedEventsGrain")]
public interface IRejectedEventsGrain : IGrainWithIntegerKey
{
    [Alias("Record")] Task Record(RejectedEvent rejected);

    /// <summary>Up to <paramref name="take"/> rejections older than the cursor <paramref name="before"/> (null: the newest).</summary>
    [Alias("List")] Task<RejectedPage> List(string? before, int take);

    /// <summary>
    /// Like <see cref="List"/>, only the rejections <paramref name="filter"/> matches; <see cref="RejectedPage.Total"/>
    /// then counts the matches.
    /// </summary>
    [Alias("ListMatching")] Task<RejectedPage> ListMatching(RejectedFilter filter, string? before, int take);
}

/// <summary>
/// Which rejections to list: <see cref="Reason"/> is text the reason contains (case-insensitive), <see cref="ProductId"/>
/// the product id exactly as the rejection recorded it. Null or empty: no condition.
/// </summary>
[GenerateSerializer, Immutable, Alias("Enrichment.RejectedFilter")]
public sealed record RejectedFilter([property: Id(0)] string? Reason = null, [property: Id(1)] string? ProductId = null)
{
    public const int MaxReasonLength = 200;

    public static readonly RejectedFilter None = new();

    public bool IsEmpty => string.IsNullOrEmpty(Reason) && string.IsNullOrEmpty(ProductId);

    /// <summary>Whether <paramref name="row"/> is one this filter lists (the in-memory log's rule; PostgreSQL's SQL says the same).</summary>
    public bool Matches(RejectedEvent row) =>
        (string.IsNullOrEmpty(Reason) || row.Reason.Contains(Reason, StringComparison.OrdinalIgnoreCase))
        && (string.IsNullOrEmpty(ProductId) || string.Equals(row.ProductId, ProductId, StringComparison.Ordinal));

    /// <summary>Why this filter is refused, or null.</summary>
    public string? Problem() =>
        Reason is { Length: > MaxReasonLength } ? $"reason is longer than {MaxReasonLength} characters"
        : ProductId is { Length: > RejectedEvent.MaxIdLength } ? $"productId is longer than {RejectedEvent.MaxIdLength} characters"
        : null;
}

[GenerateSerializer, Immutable, Alias("Enrichment.RejectedEvent")]
public sealed record RejectedEvent(
    [property: Id(0)] string Source,
    [property: Id(1)] string? EventId,
    [property: Id(2)] string? ProductId,
    [property: Id(3)] string Reason,
    [property: Id(4)] string? RawExcerpt,
    [property: Id(5)] DateTimeOffset RejectedAt)
{
    public const int MaxSourceLength = 200;
    public const int MaxIdLength = ProductEventValidator.MaxIdLength;
    public const int MaxReasonLength = 1000;
    public const int MaxExcerptLength = 200;

    /// <summary>
    /// The same rejection with every sender-controlled field cut to its limit, so that no row of the log, and no page
    /// of it, grows with what a sender controls.
    /// </summary>
    public RejectedEvent Bounded() => this with
    {
        Source = TextRules.Truncate(Source ?? "", MaxSourceLength),
        EventId = EventId is null ? null : TextRules.Truncate(EventId, MaxIdLength),
        ProductId = ProductId is null ? null : TextRules.Truncate(ProductId, MaxIdLength),
        Reason = TextRules.Truncate(Reason ?? "", MaxReasonLength),
        RawExcerpt = RawExcerpt is null ? null : TextRules.Truncate(RawExcerpt, MaxExcerptLength),
    };
}

[GenerateSerializer, Immutable, Alias("Enrichment.RejectedPage")]
public sealed record RejectedPage(
    /// <summary>Rejections the log holds (it keeps the newest, see the silo's RejectedEvents options).</summary>
    [property: Id(0)] long Total,
    [property: Id(1)] RejectedEvent[] Items,
    /// <summary>Pass as <c>before</c> for the next (older) page; null on the last page.</summary>
    [property: Id(2)] string? NextCursor = null)
{
    public const int MaxTake = 500;

    /// <summary>Why <paramref name="take"/> is refused, or null when it is a page size the log serves.</summary>
    public static string? TakeProblem(int take) => take is >= 1 and <= MaxTake ? null : $"take must be between 1 and {MaxTake}";

    /// <summary>Cursors are the log's sequence numbers, opaque to callers.</summary>
    public static string Cursor(long sequence) => sequence.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static long? ParseCursor(string? cursor) =>
        cursor is null ? null
        : long.TryParse(cursor, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var s) && s > 0 ? s
        : throw new ArgumentException("before is not a cursor this API returned");
}
