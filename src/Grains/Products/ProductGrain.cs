using Enrichment.Abstractions;
using Microsoft.Extensions.Logging;

namespace Enrichment.Grains.Products;

public sealed class ProductGrain(
    [PersistentState("product", GrainStorageNames.Catalog)] IPersistentState<ProductState> state,
    ILogger<ProductGrain> logger) : Grain, IProductGrain
{
    private const int RememberedEventIds = 16;

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
            return new ApplyResult(ApplyOutcome.Duplicate, current?.Version ?? -1);
        }
        if (current is not null && productEvent.Version <= current.Version)
        {
            logger.LogDebug("Ignoring stale event {EventId} v{Version} for {ProductId} at v{StoredVersion}",
                productEvent.EventId, productEvent.Version, productEvent.ProductId, current.Version);
            return new ApplyResult(ApplyOutcome.Stale, current.Version);
        }

        var updated = ProductChange.Apply(current, productEvent, DateTimeOffset.UtcNow);
        state.State.Product = updated;
        state.State.RecentEventIds.Add(productEvent.EventId);
        if (state.State.RecentEventIds.Count > RememberedEventIds)
        {
            state.State.RecentEventIds.RemoveAt(0);
        }
        await state.WriteStateAsync();
        await AttributeIndexUpdater.UpdateAsync(GrainFactory, updated.ProductId, current, updated);
        return new ApplyResult(ApplyOutcome.Applied, updated.Version);
    }

    public Task<ProductView?> Get() => Task.FromResult(state.State.Product);
}
