namespace Enrichment.Abstractions;

/// <summary>Makes a registered model version the served one on every silo (promotion and rollback; singleton, key 0).</summary>
[Alias("Enrichment.IModelDeploymentGrain")]
public interface IModelDeploymentGrain : IGrainWithIntegerKey
{
    /// <summary>
    /// Sets the version current in the registry (recording who, when, from, to and why), then swaps it into every
    /// model silo and reports each one. Refused, with the reason, when the version was rejected or is older than the
    /// served one and the request gives no reason (<see cref="DeploymentRules"/>).
    /// </summary>
    [Alias("Deploy")] Task<DeploymentReport> Deploy(DeploymentRequest request);

    /// <summary>What each active silo serves now (null on silos that host no model).</summary>
    [Alias("Status")] Task<SiloModelStatus[]> Status();

    /// <summary>The most recent deployments, newest first (at most <see cref="DeploymentRules.HistoryKept"/>).</summary>
    [Alias("History")] Task<DeploymentRecord[]> History();
}

/// <summary>Deploy <see cref="VersionId"/>; <see cref="By"/> names who asks (an operator, a training job).</summary>
[GenerateSerializer, Immutable, Alias("Enrichment.DeploymentRequest")]
public sealed record DeploymentRequest(
    [property: Id(0)] string VersionId,
    [property: Id(1)] string By,
    [property: Id(2)] string? Reason = null);

[GenerateSerializer, Immutable, Alias("Enrichment.DeploymentReport")]
public sealed record DeploymentReport(
    [property: Id(0)] bool Deployed,
    [property: Id(1)] string? Refused,
    [property: Id(2)] SiloModelStatus[] Silos)
{
    public static DeploymentReport Refusal(string why) => new(false, why, []);
}

/// <summary>One change of the served version: who, when, from, to and why.</summary>
[GenerateSerializer, Immutable, Alias("Enrichment.DeploymentRecord")]
public sealed record DeploymentRecord(
    [property: Id(0)] DateTimeOffset At,
    [property: Id(1)] string By,
    [property: Id(2)] string? FromVersion,
    [property: Id(3)] string ToVersion,
    [property: Id(4)] string? Reason);

[GenerateSerializer, Immutable, Alias("Enrichment.SiloModelStatus")]
public sealed record SiloModelStatus(
    [property: Id(0)] string Silo,
    [property: Id(1)] bool HasAccelerator,
    [property: Id(2)] string? ServedVersion,
    [property: Id(3)] string? Error);
