using Enrichment.Abstractions;

namespace Enrichment.Grains.ReEnrichment;

/// <summary>Which products a re-enrichment towards a version has to touch, and whether a request replaces the running job (pure).</summary>
public static class ReEnrichmentPlan
{
    /// <summary>The versions whose products move to <paramref name="target"/>, in a fixed order (the job pages through them one by one).</summary>
    public static List<string> VersionsToLeave(IReadOnlyDictionary<string, long> counts, string target) =>
        counts.Where(c => c.Key != target && c.Value > 0).Select(c => c.Key).Order(StringComparer.Ordinal).ToList();

    public static long Total(IReadOnlyDictionary<string, long> counts, string target) =>
        counts.Where(c => c.Key != target).Sum(c => c.Value);

    /// <summary>A running job towards the same version goes on; anything else is replaced by the request.</summary>
    public static bool Continues(ReEnrichmentStatus? current, ReEnrichmentRequest request) =>
        current is { State: ReEnrichmentState.Running } && current.TargetVersion == request.TargetVersion;

    public static string? Problem(ReEnrichmentRequest request) =>
        string.IsNullOrWhiteSpace(request.TargetVersion) ? "a re-enrichment needs the version to move the catalogue to"
        : !TextRules.IsActorName(request.By) ? $"by must name who asks: 1-{TextRules.MaxActorLength} characters on one line, no invisible or bidi characters"
        : null;
}
