using Enrichment.Abstractions;
using Enrichment.Grains.Diagnostics;
using Enrichment.Persistence.Catalog;
using Microsoft.Extensions.Logging;

namespace Enrichment.Grains.Products;

/// <summary>
/// One product: the single writer of its state. Every change is one write (<see cref="IProductStore"/>): the product,
/// its search row and its enrichment-queue item together, guarded by the revision this activation read, so an event
/// is acknowledged only once all three are stored and nothing about the product waits in memory (no timers, no
/// polling, no repair).
/// </summary>
// At catalogue scale most products are touched in bursts (ingest, then enrichment minutes later); the default 15
// minutes would keep every product of a bulk load in memory. Live activations ~ ingest rate x this age.
[CollectionAgeLimit(Minutes = 5)]
public sealed class ProductGrain(
    IProductStore store,
    ICatalogReadModel readModel,
    EnrichmentMetrics metrics,
    TimeProvider time,
    ILogger<ProductGrain> logger) : Grain, IProductGrain
{
    private ProductRecord? _stored;
    private bool _loaded;

    private string ProductId => this.GetPrimaryKeyString();

    public async Task<ApplyResult> Apply(ProductEvent productEvent)
    {
        var errors = ProductEventValidator.Validate(productEvent);
        if (errors.Count > 0)
        {
            metrics.ProductEvent(nameof(ApplyOutcome.Rejected));
            return ApplyResult.Rejected(string.Join("; ", errors));
        }
        if (productEvent.ProductId != ProductId)
        {
            metrics.ProductEvent(nameof(ApplyOutcome.Rejected));
            return ApplyResult.Rejected($"event for product '{productEvent.ProductId}' sent to product '{ProductId}'");
        }
        if (!_loaded && await TryStoreAsNewAsync(productEvent) is { } created)
        {
            metrics.ProductEvent(nameof(ApplyOutcome.Applied));
            return new ApplyResult(ApplyOutcome.Applied, created.Version);
        }

        var current = await LoadAsync();
        if (current is not null && current.RecentEventIds.Contains(productEvent.EventId))
        {
            metrics.ProductEvent(nameof(ApplyOutcome.Duplicate));
            return new ApplyResult(ApplyOutcome.Duplicate, current.Version);
        }
        if (current is not null && productEvent.Version <= current.Version)
        {
            var outcome = productEvent.Version == current.Version && !ProductChange.SameContent(current, productEvent)
                ? ApplyOutcome.Conflict
                : ApplyOutcome.Stale;
            metrics.ProductEvent(outcome.ToString());
            logger.LogDebug("Not applying event {EventId} v{Version} for {ProductId} at v{StoredVersion}: {Outcome}",
                productEvent.EventId, productEvent.Version, productEvent.ProductId, current.Version, outcome);
            return new ApplyResult(outcome, current.Version);
        }

        var updated = ProductChange.Apply(current, productEvent, time.GetUtcNow());
        await SaveAsync(updated);
        metrics.ProductEvent(nameof(ApplyOutcome.Applied));
        return new ApplyResult(ApplyOutcome.Applied, updated.Version);
    }

    public async Task<ProductView?> Get() => (await LoadAsync())?.ToView();

    public async Task<ProductView?> Enrich(bool force)
    {
        if (await LoadAsync() is { Image: not null } product && (force || product.EnrichmentStatus != EnrichmentStatus.Enriched))
        {
            // Earlier predictions stay visible (and searchable) until the new ones replace them; the queue item
            // starts afresh even when the product already waits.
            await SaveAsync(product with { EnrichmentStatus = EnrichmentStatus.Pending, EnrichmentNote = null }, restartEnrichment: true);
        }
        return _stored?.Product.ToView();
    }

    public async Task<EnrichmentAttempt> EnrichFrom(string imageSha256, string modelSilo, ProductSnapshot? stored)
    {
        if (!_loaded && stored is not null)
        {
            _stored = new ProductRecord(ProductJson.Read(stored.State), stored.Revision);
            _loaded = true;
        }
        var product = await LoadAsync();
        if (product is null)
        {
            return new EnrichmentAttempt(EnrichmentCompletion.NotFound);
        }
        // The queue item was claimed for a photo the product may since have replaced: the newer photo has an item
        // of its own (written with the change), so this one is done.
        if (!product.NeedsEnrichment || product.Image!.Sha256 != imageSha256)
        {
            return new EnrichmentAttempt(EnrichmentCompletion.Obsolete);
        }
        // Every photo goes to the claiming silo's model grain at once: its batcher serves them in the same batches.
        var model = GrainFactory.GetGrain<IModelGrain>(modelSilo);
        var pooled = PhotoPooling.Pool(await Task.WhenAll(product.Images.Select(photo => model.Predict(photo, product.Name))));
        var result = pooled.Result;
        if (ProductEnrichment.Apply(product, pooled, time.GetUtcNow()) is { } enriched)
        {
            await SaveAsync(enriched);
            return new EnrichmentAttempt(EnrichmentCompletion.Applied, result.Status);
        }
        var note = ProductEnrichment.WaitingNote(result);
        if (note != product.EnrichmentNote)
        {
            await SaveAsync(product with { EnrichmentNote = note });
        }
        return new EnrichmentAttempt(EnrichmentCompletion.Retry, result.Status, note);
    }

    public async Task<ReviewOutcome> Review(AttributeReviewRequest request)
    {
        if (await LoadAsync() is not { } product)
        {
            return ReviewOutcome.Refuse(ReviewRefusal.NotFound, $"no product '{ProductId}' is stored");
        }
        // Whether the catalogue already uses the corrected value (and how it spells it) is the read model's to say.
        var known = request.Value is { } value && ReviewRules.Refusal(request) is null
            ? await readModel.KnownValueAsync(request.Attribute, value.Trim())
            : null;
        var decision = ProductReviews.Apply(product, request, known, time.GetUtcNow());
        if (decision.Refusal == ReviewRefusal.UnknownValue)
        {
            var closest = await ClosestKnownAsync(request.Attribute, request.Value!);
            var suggestion = closest.Length == 0 ? "" : $"; closest known values: {string.Join(", ", closest.Select(c => $"{c.Value} ({c.Count})"))}";
            return ReviewOutcome.Refuse(ReviewRefusal.UnknownValue, decision.Refused + suggestion, closest);
        }
        return await StoreAsync(decision);
    }

    public async Task<ReviewOutcome> UndoReview(UndoReviewRequest request)
    {
        if (await LoadAsync() is not { } product)
        {
            return ReviewOutcome.Refuse(ReviewRefusal.NotFound, $"no product '{ProductId}' is stored");
        }
        return await StoreAsync(ProductReviews.Undo(product, request, time.GetUtcNow()));
    }

    private async Task<ReviewOutcome> StoreAsync(ReviewDecision decision)
    {
        if (decision.Product is not { } reviewed)
        {
            return ReviewOutcome.Refuse(decision.Refusal ?? ReviewRefusal.Invalid, decision.Refused!);
        }
        await SaveAsync(reviewed, reviewEntry: decision.Entry);
        if (decision.Entry is { } entry)
        {
            metrics.ReviewDecision(entry.Action.ToString().ToLowerInvariant());
        }
        return new ReviewOutcome(reviewed.ToView(), null) { Entry = decision.Entry };
    }

    /// <summary>The catalogue's most frequent values of the attribute (the search facets), nearest the unknown one first.</summary>
    private async Task<FacetValue[]> ClosestKnownAsync(string attribute, string value)
    {
        var page = await readModel.SearchAsync(new CatalogQuery
        {
            Source = AttributeSource.Catalogue, Limit = 1, IncludeTotal = false, IncludeFacets = true,
        });
        var facet = page.Facets?.FirstOrDefault(f => f.Attribute == attribute)?.Values ?? [];
        // Facets come in the catalogue's spelling already: the reviewer picks from it.
        return KnownValues.Closest(value, facet);
    }

    /// <summary>Reads the product once per activation, on first use: an activation that only creates a product never reads.</summary>
    private async Task<Product?> LoadAsync()
    {
        if (!_loaded)
        {
            _stored = await store.ReadAsync(ProductId);
            _loaded = true;
        }
        return _stored?.Product;
    }

    /// <summary>
    /// A fresh activation's first event is usually a new product (bulk ingest), so it is written as one without
    /// reading first: the revision guard refuses it when the product exists, and then the event is applied the usual
    /// way. Null when the product existed.
    /// </summary>
    private async Task<Product?> TryStoreAsNewAsync(ProductEvent productEvent)
    {
        var created = ProductChange.Apply(null, productEvent, time.GetUtcNow());
        try
        {
            await WriteAsync(new ProductWrite(created, ExpectedRevision: 0));
            return created;
        }
        catch (ProductRevisionConflictException)
        {
            return null;
        }
    }

    /// <summary>
    /// Writes the change at the next revision. If storage fails the failure reaches the caller as retryable and this
    /// activation is done: it deactivates, and Orleans hands calls already queued behind this one to a fresh
    /// activation, which reads what storage holds. A revision conflict means another activation of this product
    /// wrote meanwhile (Orleans can briefly run two): this one's memory is stale, so it refuses and goes.
    /// </summary>
    private async Task SaveAsync(Product after, bool restartEnrichment = false, ReviewHistoryEntry? reviewEntry = null)
    {
        try
        {
            await WriteAsync(new ProductWrite(after, _stored?.Revision ?? 0, restartEnrichment, reviewEntry));
        }
        catch (ProductRevisionConflictException conflict)
        {
            logger.LogWarning("Stale activation of {ProductId} refused by the revision guard; deactivating", ProductId);
            throw new StorageUnavailableException($"{conflict.Message}; retry");
        }
    }

    private async Task WriteAsync(ProductWrite write)
    {
        try
        {
            await store.WriteAsync(write);
        }
        catch (Exception ex) when (ex is not ProductRevisionConflictException || write.ExpectedRevision > 0 || _loaded)
        {
            // The write may have landed even though it reported failure: only a new activation knows the truth.
            DeactivateOnIdle();
            throw;
        }
        _stored = new ProductRecord(write.Product, write.Revision);
        _loaded = true;
    }
}
