namespace Enrichment.Abstractions;

/// <summary>
/// The quality report of one model version (key = version id), as JSON: per input mode and attribute top-1/top-5,
/// per-class precision/recall/F1, confusion matrix, reliability diagram with ECE, coverage-versus-precision curve and
/// the auto-apply threshold. Its size depends on the label space, not on the rows scored. Kept apart from the
/// registry so listing versions never carries every report.
/// </summary>
[Alias("Enrichment.IModelQualityGrain")]
public interface IModelQualityGrain : IGrainWithStringKey
{
    [Alias("Put")] Task Put(string reportJson);

    /// <summary>Null when the version was never scored.</summary>
    [Alias("Get")] Task<string?> Get();
}
