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

    public bool IsValid => LostAfter > ReportInterval * 3;
}
