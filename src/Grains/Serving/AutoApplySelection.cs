using Enrichment.Abstractions;
using Enrichment.Models;

namespace Enrichment.Grains.Serving;

/// <summary>Which auto-apply measurement a version keeps, and how a quality report becomes the contract's thresholds.</summary>
public static class AutoApplySelection
{
    /// <summary>
    /// True when <paramref name="offered"/> should replace <paramref name="current"/>: measured on at least as many
    /// rows. A demo catalogue's evaluation set of 80 photos cannot reach a 97 % lower bound at all, so it must not wipe
    /// thresholds the checkpoint measured on 8,000.
    /// </summary>
    public static bool Prefer(IReadOnlyList<AutoApplyThreshold> current, IReadOnlyList<AutoApplyThreshold> offered) =>
        offered.Count > 0 && (current.Count == 0 || offered.Max(t => t.Rows) >= current.Max(t => t.Rows));

    public static AutoApplyThreshold[] From(QualityReport report, string measuredOn) =>
        report.Modes.SelectMany(mode => mode.Attributes.Select(a => new AutoApplyThreshold
        {
            Attribute = a.Attribute,
            Input = mode.Input,
            Threshold = a.AutoApply.Threshold,
            Coverage = a.AutoApply.Coverage,
            Precision = a.AutoApply.Precision,
            PrecisionLowerBound = a.AutoApply.PrecisionLowerBound,
            TargetPrecision = a.AutoApply.TargetPrecision,
            MinRows = a.AutoApply.MinRows,
            Rows = a.AutoApply.Rows,
            MeasuredOn = measuredOn,
        })).ToArray();
}
