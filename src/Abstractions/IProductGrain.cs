namespace Enrichment.Abstractions;

/// <summary>One catalogue product, keyed by product id.</summary>
public interface IProductGrain : IGrainWithStringKey
{
    Task<ApplyResult> Apply(ProductEvent productEvent);

    /// <summary>Null when no event for this id was ever accepted.</summary>
    Task<ProductView?> Get();

    /// <summary>
    /// Runs enrichment now (on demand, or again after a model swap) and returns the product;
    /// with <paramref name="force"/> false a product already enriched by the served version is left as is.
    /// </summary>
    Task<ProductView?> Enrich(bool force);
}

public enum ApplyOutcome
{
    Applied,
    /// <summary>The same event id was already applied.</summary>
    Duplicate,
    /// <summary>A newer (or equal) version is already stored.</summary>
    Stale,
}

[GenerateSerializer, Immutable]
public sealed record ApplyResult(
    [property: Id(0)] ApplyOutcome Outcome,
    [property: Id(1)] long StoredVersion);
