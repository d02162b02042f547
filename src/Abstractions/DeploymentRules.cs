namespace Enrichment.Abstractions;

/// <summary>When a deployment needs the operator's reason, and what a request may carry.</summary>
public static class DeploymentRules
{
    public const int HistoryKept = 100;
    public const int MaxByLength = TextRules.MaxActorLength;
    public const int MaxReasonLength = 500;

    /// <summary>Why deploying <paramref name="target"/> over <paramref name="current"/> is unusual; null when it is not.</summary>
    public static string? Caution(ModelVersionInfo target, ModelVersionInfo? current)
    {
        if (target.Verdict is { Outcome: TrainingState.Rejected } rejected)
        {
            return $"version {target.VersionId} was rejected by its training job ({rejected.Reason})";
        }
        if (current is not null && target.VersionId != current.VersionId && target.RegisteredAt < current.RegisteredAt)
        {
            return $"version {target.VersionId} is older than the served {current.VersionId}";
        }
        return null;
    }

    /// <summary>Why the request is refused; null when it may go ahead.</summary>
    public static string? Refusal(DeploymentRequest request, ModelVersionInfo target, ModelVersionInfo? current)
    {
        if (!TextRules.IsActorName(request.By))
        {
            return $"'by' must name who deploys, in at most {MaxByLength} characters";
        }
        if (!TextRules.IsNote(request.Reason, MaxReasonLength))
        {
            return $"the reason must be plain text of at most {MaxReasonLength} characters";
        }
        return Caution(target, current) is { } caution && string.IsNullOrWhiteSpace(request.Reason)
            ? $"{caution}: deploying it needs a reason"
            : null;
    }
}
