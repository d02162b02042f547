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
        report.Modes.SelectMany(mode => mode.Attributes.Select(a => Of(a.Attribute, mode.Input, a.AutoApply, measuredOn))).ToArray();

    /// <summary>Thresholds a checkpoint recorded in its manifest (`test --record-thresholds`).</summary>
    public static AutoApplyThreshold[] From(IEnumerable<RecordedThreshold> recorded) =>
        recorded.Select(t => Of(t.Attribute, t.Input, t.Choice, t.MeasuredOn)).ToArray();

    private static AutoApplyThreshold Of(string attribute, string input, ThresholdChoice choice, string measuredOn) => new()
    {
        Attribute = attribute,
        Input = input,
        Threshold = choice.Threshold,
        Coverage = choice.Coverage,
        Precision = choice.Precision,
        PrecisionLowerBound = choice.PrecisionLowerBound,
        TargetPrecision = choice.TargetPrecision,
        MinRows = choice.MinRows,
        Rows = choice.Rows,
        MeasuredOn = measuredOn,
    };
}
