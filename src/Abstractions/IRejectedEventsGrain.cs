namespace Enrichment.Abstractions;

/// <summary>The cluster-wide list of events refused at ingest, with reasons (singleton, key 0).</summary>
public interface IRejectedEventsGrain : IGrainWithIntegerKey
{
    Task Record(RejectedEvent rejected);
    Task<RejectedPage> List(int skip, int take);
}

[GenerateSerializer, Immutable]
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
    /// The same rejection with every sender-controlled field cut to its limit: the list is one grain state, and
    /// one oversized row must not make it too large to load, list or send.
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

[GenerateSerializer, Immutable]
public sealed record RejectedPage(
    [property: Id(0)] long Total,
    [property: Id(1)] RejectedEvent[] Items);
