using Enrichment.Abstractions;
using Enrichment.Grains.Diagnostics;
using Enrichment.Persistence.Catalog;
using Enrichment.Persistence.Queue;
using Microsoft.Extensions.Logging;

namespace Enrichment.Grains.Products;

/// <summary>
/// One product: the single writer of its state. An event is acknowledged only once its state is in storage; a
/// product that needs a model is recorded in the durable enrichment queue before its state is written, so no
/// Pending product is ever without queued work, and nothing about it waits in memory (no timers, no polling).
/// Every stored change is projected into the read model before the call returns (read-your-writes for search); the
/// change is noted there before the state write, so a silo dying in between leaves a note that gets repaired.
/// </summary>
// At catalogue scale most products are touched in bursts (ingest, then enrichment minutes later); the default 15
// minutes would keep every product of a bulk load in memory. Live activations ~ ingest rate x this age.
[CollectionAgeLimit(Minutes = 5)]
public sealed class ProductGrain(
    [PersistentState("product", GrainStorageNames.Catalog)] IPersistentState<ProductState> state,
    IEnrichmentQueue queue,
    ICatalogReadModel readModel,
    EnrichmentMetrics metrics,
    ILogger<ProductGrain> logger) : Grain, IProductGrain
{
    private const int RememberedEventIds = 16;
    private ProductView? _view;

    /// <summary>What storage holds, as the rules and callers see it (mapped once per change, not per read).</summary>
    private ProductView? Current => _view ??= state.State.Product?.ToView();

    public async Task<ApplyResult> Apply(ProductEvent productEvent)
    {
        var errors = ProductEventValidator.Validate(productEvent);
        if (errors.Count > 0)
        {
            metrics.ProductEvent(nameof(ApplyOutcome.Rejected));
            return ApplyResult.Rejected(string.Join("; ", errors));
        }
        if (productEvent.ProductId != this.GetPrimaryKeyString())
        {
            metrics.ProductEvent(nameof(ApplyOutcome.Rejected));
            return ApplyResult.Rejected($"event for product '{productEvent.ProductId}' sent to product '{this.GetPrimaryKeyString()}'");
        }

        var current = Current;
        if (state.State.RecentEventIds.Contains(productEvent.EventId))
        {
            metrics.ProductEvent(nameof(ApplyOutcome.Duplicate));
            await RepairAsync(current);
            return new ApplyResult(ApplyOutcome.Duplicate, current?.Version ?? -1);
        }
        if (current is not null && productEvent.Version <= current.Version)
        {
            var outcome = productEvent.Version == current.Version && !ProductChange.SameContent(current, productEvent)
                ? ApplyOutcome.Conflict
                : ApplyOutcome.Stale;
            metrics.ProductEvent(outcome.ToString());
            await RepairAsync(current);
            logger.LogDebug("Not applying event {EventId} v{Version} for {ProductId} at v{StoredVersion}: {Outcome}",
                productEvent.EventId, productEvent.Version, productEvent.ProductId, current.Version, outcome);
            return new ApplyResult(outcome, current.Version);
        }

        var updated = ProductChange.Apply(current, productEvent, DateTimeOffset.UtcNow);
        await EnsureQueuedAsync(updated, restart: false);
        await SaveAsync(updated, productEvent.EventId);
        metrics.ProductEvent(nameof(ApplyOutcome.Applied));
        return new ApplyResult(ApplyOutcome.Applied, updated.Version);
    }

    public Task<ProductView?> Get() => Task.FromResult(Current);

    public Task<string?> NameForEnrichment() => Task.FromResult(Current?.Name);

    public async Task<ProductView?> Enrich(bool force)
    {
        if (Current is { Image: not null } product && (force || product.EnrichmentStatus != EnrichmentStatus.Enriched))
        {
            // Earlier predictions stay visible (and searchable) until the new ones replace them.
            var pending = product with { EnrichmentStatus = EnrichmentStatus.Pending, EnrichmentNote = null };
            await EnsureQueuedAsync(pending, restart: true);
            if (product.EnrichmentStatus != EnrichmentStatus.Pending)
            {
                await SaveAsync(pending);
            }
        }
        return Current;
    }

    public async Task<EnrichmentCompletion> CompleteEnrichment(string imageSha256, ModelResult result)
    {
        var product = Current;
        if (product is null)
        {
            // The item is queued before the first write: "nothing stored" may mean "not stored yet".
            return EnrichmentCompletion.NotFound;
        }
        if (product.Image is null || product.EnrichmentStatus != EnrichmentStatus.Pending)
        {
            return EnrichmentCompletion.Obsolete;
        }
        if (product.Image.Sha256 != imageSha256)
        {
            // The answer is for an older photo; make sure the current one is queued (a failed write can leave the
            // queue pointing at a photo the product never stored).
            await EnsureQueuedAsync(product, restart: false);
            return EnrichmentCompletion.Obsolete;
        }
        if (ProductEnrichment.Apply(product, result, DateTimeOffset.UtcNow) is { } enriched)
        {
            await SaveAsync(enriched);
            return EnrichmentCompletion.Applied;
        }
        var note = ProductEnrichment.WaitingNote(result);
        if (note != product.EnrichmentNote)
        {
            await SaveAsync(product with { EnrichmentNote = note });
        }
        return EnrichmentCompletion.Retry;
    }

    public async Task<ReviewOutcome> Review(AttributeReviewRequest request)
    {
        if (Current is not { } product)
        {
            return ReviewOutcome.Refusal($"no product '{this.GetPrimaryKeyString()}' is stored");
        }
        var (reviewed, refused) = ProductReviews.Apply(product, request, DateTimeOffset.UtcNow);
        if (reviewed is null)
        {
            return ReviewOutcome.Refusal(refused!);
        }
        await SaveAsync(reviewed);
        return new ReviewOutcome(reviewed, null);
    }

    public Task RefreshReadModel() =>
        readModel.ProjectAsync(this.GetPrimaryKeyString(), Current, state.State.Revision);

    /// <summary>
    /// A resent event usually means the sender never saw our answer: perhaps storage or a silo failed after the
    /// product was stored but before it was queued or projected. Both steps are idempotent, so they are simply redone.
    /// </summary>
    private async Task RepairAsync(ProductView? current)
    {
        if (current is null)
        {
            return;
        }
        await EnsureQueuedAsync(current, restart: false);
        await RefreshReadModel();
    }

    private Task EnsureQueuedAsync(ProductView product, bool restart) =>
        product is { EnrichmentStatus: EnrichmentStatus.Pending, Image: { } image }
            ? queue.EnqueueAsync(product.ProductId, image.Sha256, restart)
            : Task.CompletedTask;

    /// <summary>
    /// Writes the new state; if storage fails, the failure reaches the caller as retryable and this activation is
    /// done: it deactivates, and Orleans hands calls already queued behind this one to a fresh activation, which reads
    /// what storage holds. No call ever sees the memory of a refused write, so there is nothing to restore
    /// (<c>FailedWriteTests</c> shows a queued retry re-reading storage and re-applying the event).
    /// </summary>
    private async Task SaveAsync(ProductView after, string? eventId = null)
    {
        await readModel.NoteChangeAsync(after.ProductId);
        state.State.Product = StoredProduct.From(after);
        _view = after;
        state.State.Revision++;
        if (eventId is not null)
        {
            state.State.RecentEventIds = state.State.RecentEventIds.Append(eventId).TakeLast(RememberedEventIds).ToList();
        }
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            // The write may have landed even though it reported failure: only a new activation knows the truth.
            DeactivateOnIdle();
            throw;
        }
        await readModel.ProjectAsync(after.ProductId, after, state.State.Revision);
    }
}
