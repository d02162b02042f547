using Enrichment.Abstractions;
using System.ComponentModel.DataAnnotations;

namespace Enrichment.Grains.Training;

/// <summary>Bound from "Enrichment:Training": how a running job and its coordinator keep in touch.</summary>
public sealed class TrainingOptions
{
    public const string Section = "Enrichment:Training";

    /// <summary>How often a running job reports its progress to the training grain.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:10:00")]
    public TimeSpan ReportInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>A job silent this long is taken as lost with its silo; the served model stays as it is.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan LostAfter { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The most memory a training job may be estimated to need (<see cref="TrainingMemory"/>) on the silo that runs it;
    /// a request estimated above it is refused before it starts. Unset: half the memory this process may use
    /// (the machine's or the container's).
    /// </summary>
    [Range(64L << 20, long.MaxValue)]
    public long? MaxMemoryBytes { get; set; }

    public long MemoryLimitBytes() => MaxMemoryBytes ?? GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 2;

    public bool IsValid => LostAfter > ReportInterval * 3;
}
