namespace Enrichment.Grains.Serving;

/// <summary>Bound from "Enrichment:Models". Only silos that declare an accelerator ever host a model.</summary>
public sealed class ModelHostOptions
{
    public const string Section = "Enrichment:Models";

    /// <summary>"cuda", "cpu" or empty (auto): CUDA where the CUDA build runs on a GPU, CPU otherwise.</summary>
    public string? Device { get; set; }

    /// <summary>Where downloaded checkpoints are unpacked on this silo's disk.</summary>
    public string CacheDirectory { get; set; } = Path.Combine(Path.GetTempPath(), "enrichment-model-cache");

    /// <summary>A checkpoint directory published as the first version when the cluster has none.</summary>
    public string? BootstrapCheckpoint { get; set; }

    /// <summary>libtorch intra-op threads for this process; empty keeps one per core.</summary>
    public int? IntraOpThreads { get; set; }

    public BatchingOptions Batching { get; set; } = new();

    /// <summary>How long a prediction waits for a silo that is still loading its first model before answering NoModel.</summary>
    public TimeSpan FirstModelWait { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often a model silo compares what it serves with the registry's current version.</summary>
    public TimeSpan ReconcileInterval { get; set; } = TimeSpan.FromSeconds(15);
}
