using Enrichment.Abstractions;
using Enrichment.Persistence.Catalog;

namespace Enrichment.Grains.Catalog;

/// <summary>The embedded default's read model, shared by every silo of a cluster through one activation.</summary>
[Alias("Enrichment.ICatalogReadModelGrain")]
public interface ICatalogReadModelGrain : IGrainWithIntegerKey
{
    [Alias("Note")] Task Note(string productId);
    [Alias("Project")] Task Project(string productId, ProductView? product, long revision);
    [Alias("ClaimUnprojected")] Task<IReadOnlyList<string>> ClaimUnprojected(TimeSpan olderThan, int max, TimeSpan lease);
    [Alias("Search")] Task<CatalogPage> Search(CatalogQuery query);
    [Alias("ListLabelled")] Task<IReadOnlyList<ProductView>> ListLabelled(string? afterProductId, int limit);
    [Alias("Review")] Task<ReviewPage> Review(ReviewQuery query);
    [Alias("ListReviewed")] Task<IReadOnlyList<string>> ListReviewed(string? afterProductId, int limit);
}

/// <summary>
/// Holds <see cref="InMemoryCatalogReadModel"/> for a cluster on memory storage. Always active: idle collection would
/// drop the read model with the activation. Like memory grain storage, it lives as long as the silo that hosts it.
/// </summary>
[CollectionAgeLimit(AlwaysActive = true)]
public sealed class CatalogReadModelGrain(TimeProvider time) : Grain, ICatalogReadModelGrain
{
    private readonly InMemoryCatalogReadModel _model = new(time);

    public Task Note(string productId) => _model.NoteChangeAsync(productId);

    public Task Project(string productId, ProductView? product, long revision) => _model.ProjectAsync(productId, product, revision);

    public Task<IReadOnlyList<string>> ClaimUnprojected(TimeSpan olderThan, int max, TimeSpan lease) =>
        _model.ClaimUnprojectedAsync(olderThan, max, lease);

    public Task<CatalogPage> Search(CatalogQuery query) => _model.SearchAsync(query);

    public Task<IReadOnlyList<ProductView>> ListLabelled(string? afterProductId, int limit) => _model.ListLabelledAsync(afterProductId, limit);

    public Task<ReviewPage> Review(ReviewQuery query) => _model.ReviewAsync(query);

    public Task<IReadOnlyList<string>> ListReviewed(string? afterProductId, int limit) => _model.ListReviewedAsync(afterProductId, limit);
}

/// <summary><see cref="ICatalogReadModel"/> over <see cref="ICatalogReadModelGrain"/>, for silos on memory storage.</summary>
public sealed class GrainCatalogReadModel(IGrainFactory grains) : ICatalogReadModel
{
    private ICatalogReadModelGrain Model => grains.GetGrain<ICatalogReadModelGrain>(0);

    public Task NoteChangeAsync(string productId, CancellationToken ct = default) => Model.Note(productId);

    public Task ProjectAsync(string productId, ProductView? product, long revision, CancellationToken ct = default) =>
        Model.Project(productId, product, revision);

    public Task<IReadOnlyList<string>> ClaimUnprojectedAsync(TimeSpan olderThan, int max, TimeSpan lease, CancellationToken ct = default) =>
        Model.ClaimUnprojected(olderThan, max, lease);

    public Task<CatalogPage> SearchAsync(CatalogQuery query, CancellationToken ct = default) => Model.Search(query);

    public Task<IReadOnlyList<ProductView>> ListLabelledAsync(string? afterProductId, int limit, CancellationToken ct = default) =>
        Model.ListLabelled(afterProductId, limit);

    public Task<ReviewPage> ReviewAsync(ReviewQuery query, CancellationToken ct = default) => Model.Review(query);

    public Task<IReadOnlyList<string>> ListReviewedAsync(string? afterProductId, int limit, CancellationToken ct = default) =>
        Model.ListReviewed(afterProductId, limit);
}
