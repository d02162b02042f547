using System.ComponentModel.DataAnnotations;

namespace Enrichment.Grains.Catalog;

/// <summary>How silos repair read-model rows a dying silo left behind; bound from "Enrichment:ReadModel", validated on start.</summary>
public sealed class ReadModelOptions
{
    public const string Section = "Enrichment:ReadModel";

    /// <summary>
    /// Age at which a noted change with no projection counts as lost. A live write clears its note within one
    /// storage round trip, so this only has to outlast a slow write, not a retry.
    /// </summary>
    public TimeSpan RepairGrace { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often each silo looks for lost projections: one small query, whatever the catalogue's size.</summary>
    public TimeSpan RepairInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How long a claimed repair is held back from other silos.</summary>
    public TimeSpan RepairLease { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Products one repair round takes.</summary>
    [Range(1, 10_000)]
    public int RepairBatch { get; set; } = 200;

    public bool IsValid => RepairGrace > TimeSpan.Zero && RepairInterval > TimeSpan.Zero && RepairLease > TimeSpan.Zero;
}
