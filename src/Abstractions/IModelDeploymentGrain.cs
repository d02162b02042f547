namespace Enrichment.Abstractions;

/// <summary>Makes a registered model version the served one on every silo (promotion and rollback; singleton, key 0).</summary>
[Alias("Enrichment.IModelDeploymentGrain")]
public interface IModelDeploymentGrain : IGrainWithIntegerKey
{
    /// <summary>Sets the version current in the registry, then swaps it into every model silo and reports each one.</summary>
    [Alias("Deploy")] Task<SiloModelStatus[]> Deploy(string versionId);

    /// <summary>What each active silo serves now (null on silos that host no model).</summary>
    [Alias("Status")] Task<SiloModelStatus[]> Status();
}

[GenerateSerializer, Immutable, Alias("Enrichment.SiloModelStatus")]
public sealed record SiloModelStatus(
    [property: Id(0)] string Silo,
    [property: Id(1)] bool HasAccelerator,
    [property: Id(2)] string? ServedVersion,
    [property: Id(3)] string? Error);
