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
    [property: Id(5)] DateTimeOffset RejectedAt);

[GenerateSerializer, Immutable]
public sealed record RejectedPage(
    [property: Id(0)] long Total,
    [property: Id(1)] RejectedEvent[] Items);
