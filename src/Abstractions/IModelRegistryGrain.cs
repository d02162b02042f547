namespace Enrichment.Abstractions;

/// <summary>The cluster-wide list of model versions and which one is served (singleton, key 0).</summary>
[Alias("Enrichment.IModelRegistryGrain")]
public interface IModelRegistryGrain : IGrainWithIntegerKey
{
    [Alias("GetCurrent")] Task<ModelVersionInfo?> GetCurrent();
    [Alias("List")] Task<ModelVersionInfo[]> List();

    /// <summary>Adds a version whose weights are already stored in chunks; idempotent per version id.</summary>
    [Alias("Register")] Task Register(ModelVersionInfo version);

    /// <summary>Makes a registered version the served one (promotion and rollback) and records the change.</summary>
    [Alias("SetCurrent")] Task<ModelVersionInfo> SetCurrent(DeploymentRequest request);

    /// <summary>A version's score on the cluster's evaluation set (the rows no model trains on).</summary>
    [Alias("RecordEvaluation")] Task RecordEvaluation(string versionId, VersionEvaluation evaluation);

    /// <summary>
    /// Offers thresholds measured on <paramref name="rows"/> held-out rows; they replace the version's only when
    /// measured on at least as many rows as the ones it has (a larger measurement has the tighter bound).
    /// </summary>
    [Alias("OfferAutoApply")] Task<bool> OfferAutoApply(string versionId, AutoApplyThreshold[] thresholds);

    /// <summary>What a training job decided about a version it registered, and why.</summary>
    [Alias("RecordVerdict")] Task RecordVerdict(string versionId, VersionVerdict verdict);

    /// <summary>The most recent changes of the served version, newest first.</summary>
    [Alias("Deployments")] Task<DeploymentRecord[]> Deployments();

    /// <summary>
    /// True for exactly one claimant while the cluster has no current version (until <paramref name="lease"/> ends), so
    /// that of all the accelerator silos starting together only one uploads the first model.
    /// </summary>
    [Alias("TryClaimBootstrap")] Task<bool> TryClaimBootstrap(string claimant, TimeSpan lease);

    /// <summary>Registers the first model and makes it current unless another version became current meanwhile; returns the current one.</summary>
    [Alias("PublishBootstrap")] Task<ModelVersionInfo> PublishBootstrap(ModelVersionInfo version);
}

/// <summary>A model version: its manifest and where its weights are, never the weights themselves.</summary>
[GenerateSerializer, Immutable, Alias("Enrichment.ModelVersionInfo")]
public sealed record ModelVersionInfo
{
    [Id(0)] public required string VersionId { get; init; }
    [Id(1)] public required string WeightsSha256 { get; init; }
    [Id(2)] public required long WeightsLength { get; init; }
    [Id(3)] public required int ChunkCount { get; init; }
    /// <summary>The checkpoint's manifest.json, verbatim (architecture, labels, vocabulary, metrics).</summary>
    [Id(4)] public required string ManifestJson { get; init; }
    [Id(5)] public DateTimeOffset RegisteredAt { get; init; }
    [Id(6)] public Dictionary<string, double> Metrics { get; init; } = new();
    [Id(7)] public string? Source { get; init; }
    /// <summary>The promotion decision of the training job that registered it; null for versions no job judged.</summary>
    [Id(8)] public VersionVerdict? Verdict { get; init; }
    /// <summary>The latest score on the evaluation set: comparable across versions (same rows, none trained on).</summary>
    [Id(9)] public VersionEvaluation? Evaluation { get; init; }
    /// <summary>
    /// Auto-apply thresholds per attribute and input, from the largest held-out measurement of this version (the
    /// checkpoint's own, or the cluster's evaluation set once it has scored more rows). Empty: nothing is auto-applied.
    /// </summary>
    [Id(10)] public AutoApplyThreshold[] AutoApply { get; init; } = [];
    /// <summary>What the model reads: ["photo"] or ["photo", "name"].</summary>
    [Id(11)] public string[] Inputs { get; init; } = ["photo"];
}

[GenerateSerializer, Immutable, Alias("Enrichment.VersionEvaluation")]
public sealed record VersionEvaluation(
    [property: Id(0)] double Score,
    [property: Id(1)] int Rows,
    [property: Id(2)] DateTimeOffset At)
{
    /// <summary>What <see cref="Score"/> is made of, in words ("mean of type and colour top-1, photo+name, 1,024 evaluation-set rows").</summary>
    [Id(3)] public string? ScoreDescription { get; init; }
}

/// <summary>A training job's decision about its candidate: the outcome, the reason, and the scores it compared.</summary>
[GenerateSerializer, Immutable, Alias("Enrichment.VersionVerdict")]
public sealed record VersionVerdict(
    [property: Id(0)] TrainingState Outcome,
    [property: Id(1)] string Reason,
    [property: Id(2)] double Score,
    [property: Id(3)] double? ServedScore,
    [property: Id(4)] string? ComparedWith,
    [property: Id(5)] DateTimeOffset At);
