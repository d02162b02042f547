using Enrichment.Abstractions;
using Enrichment.Grains.Diagnostics;
using Enrichment.Grains.Serving;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Enrichment.Grains.Products;

public sealed class ProductGrain(
    [PersistentState("product", GrainStorageNames.Catalog)] IPersistentState<ProductState> state,
    IOptions<EnrichmentRetryOptions> retryOptions,
    IOptions<ModelHostOptions> modelOptions,
    EnrichmentMetrics metrics,
    ILogger<ProductGrain> logger) : Grain, IProductGrain
{
    private const int RememberedEventIds = 16;
    private IGrainTimer? _enrichTimer;
    private TimeSpan _retryDelay;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // A product that was waiting when its silo went away resumes as soon as it is activated again.
        if (state.State.Product?.EnrichmentStatus == EnrichmentStatus.Pending)
        {
            ScheduleEnrichment(TimeSpan.Zero);
        }
        return Task.CompletedTask;
    }

    public async Task<ApplyResult> Apply(ProductEvent productEvent)
    {
        var errors = ProductEventValidator.Validate(productEvent);
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join("; ", errors), nameof(productEvent));
        }
        if (productEvent.ProductId != this.GetPrimaryKeyString())
        {
            throw new ArgumentException($"event for product '{productEvent.ProductId}' sent to product '{this.GetPrimaryKeyString()}'");
        }

        var current = state.State.Product;
        if (state.State.RecentEventIds.Contains(productEvent.EventId))
        {
            metrics.ProductEvent(nameof(ApplyOutcome.Duplicate));
            await RepairIndexAsync(current);
            return new ApplyResult(ApplyOutcome.Duplicate, current?.Version ?? -1);
        }
        if (current is not null && productEvent.Version <= current.Version)
        {
            metrics.ProductEvent(nameof(ApplyOutcome.Stale));
            await RepairIndexAsync(current);
            logger.LogDebug("Ignoring stale event {EventId} v{Version} for {ProductId} at v{StoredVersion}",
                productEvent.EventId, productEvent.Version, productEvent.ProductId, current.Version);
            return new ApplyResult(ApplyOutcome.Stale, current.Version);
        }

        var updated = ProductChange.Apply(current, productEvent, DateTimeOffset.UtcNow);
        state.State.RecentEventIds.Add(productEvent.EventId);
        if (state.State.RecentEventIds.Count > RememberedEventIds)
        {
            state.State.RecentEventIds.RemoveAt(0);
        }
        await SaveAsync(current, updated);
        metrics.ProductEvent(nameof(ApplyOutcome.Applied));
        if (updated.EnrichmentStatus == EnrichmentStatus.Pending)
        {
            // Enrichment runs after this call returns: ingest never waits for a forward pass.
            ScheduleEnrichment(TimeSpan.Zero);
        }
        return new ApplyResult(ApplyOutcome.Applied, updated.Version);
    }

    public Task<ProductView?> Get() => Task.FromResult(state.State.Product);

    public async Task<ProductView?> Enrich(bool force)
    {
        if (state.State.Product is { Image: not null } product && (force || product.EnrichmentStatus != EnrichmentStatus.Enriched))
        {
            if (product.EnrichmentStatus != EnrichmentStatus.Pending)
            {
                await SaveAsync(product, product with { EnrichmentStatus = EnrichmentStatus.Pending });
            }
            await EnrichOnceAsync();
        }
        return state.State.Product;
    }

    private void ScheduleEnrichment(TimeSpan dueTime)
    {
        _enrichTimer ??= this.RegisterGrainTimer(EnrichOnceAsync, new GrainTimerCreationOptions
        {
            DueTime = Timeout.InfiniteTimeSpan,
            Period = Timeout.InfiniteTimeSpan,
            // Keeps the activation alive while it waits, so a pending product is never forgotten in memory.
            KeepAlive = true,
        });
        _enrichTimer.Change(dueTime, Timeout.InfiniteTimeSpan);
    }

    private async Task EnrichOnceAsync()
    {
        var product = state.State.Product;
        if (product?.Image is null || product.EnrichmentStatus != EnrichmentStatus.Pending)
        {
            return;
        }
        ModelResult result;
        try
        {
            var slot = ProductEnrichment.SlotFor(product.ProductId, modelOptions.Value.Slots);
            result = await GrainFactory.GetGrain<IModelGrain>(slot).Predict(product.Image);
        }
        catch (Exception ex)
        {
            // Typically no silo declares an accelerator right now; placement fails until one joins.
            result = ModelResult.Failed(ModelResultStatus.NoModel, $"no model silo available: {ex.GetBaseException().Message}");
        }
        metrics.Enrichment(result.Status.ToString());

        if (ProductEnrichment.Apply(product, result, DateTimeOffset.UtcNow) is { } enriched)
        {
            await SaveAsync(product, enriched);
            _retryDelay = TimeSpan.Zero;
            _enrichTimer?.Dispose();
            _enrichTimer = null;
            return;
        }

        var note = ProductEnrichment.WaitingNote(result);
        if (note != product.EnrichmentNote)
        {
            await SaveAsync(product, product with { EnrichmentNote = note });
        }
        _retryDelay = _retryDelay == TimeSpan.Zero
            ? retryOptions.Value.InitialDelay
            : TimeSpan.FromTicks(Math.Min(_retryDelay.Ticks * 2, retryOptions.Value.MaxDelay.Ticks));
        logger.LogDebug("Enrichment of {ProductId} waits {Delay}: {Note}", product.ProductId, _retryDelay, note);
        ScheduleEnrichment(_retryDelay);
    }

    /// <summary>
    /// A resent event usually means the sender never saw our answer: perhaps a silo died after the product was
    /// stored but before its index entries were. Re-adding them is idempotent and closes that gap.
    /// </summary>
    private Task RepairIndexAsync(ProductView? current) =>
        current is null ? Task.CompletedTask : AttributeIndexUpdater.UpdateAsync(GrainFactory, current.ProductId, null, current);

    private async Task SaveAsync(ProductView? before, ProductView after)
    {
        state.State.Product = after;
        await state.WriteStateAsync();
        await AttributeIndexUpdater.UpdateAsync(GrainFactory, after.ProductId, before, after);
    }
}
