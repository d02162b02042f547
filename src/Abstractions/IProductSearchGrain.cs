namespace Enrichment.Abstractions;

/// <summary>Stateless search over the attribute index.</summary>
public interface IProductSearchGrain : IGrainWithIntegerKey
{
    Task<SearchPage> Search(SearchQuery query);
}

[GenerateSerializer, Immutable]
public sealed record SearchQuery
{
    /// <summary>Attribute name to wanted value; every filter must match.</summary>
    [Id(0)] public Dictionary<string, string> Filters { get; init; } = new();
    [Id(1)] public int Page { get; init; } = 1;
    [Id(2)] public int PageSize { get; init; } = 20;
}

[GenerateSerializer, Immutable]
public sealed record SearchPage(
    [property: Id(0)] int Total,
    [property: Id(1)] int Page,
    [property: Id(2)] int PageSize,
    [property: Id(3)] ProductView[] Items);
