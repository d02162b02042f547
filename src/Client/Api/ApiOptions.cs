namespace Enrichment.Client.Api;

/// <summary>How long the HTTP API waits for the cluster; bound from "Api".</summary>
public sealed class ApiOptions
{
    public const string Section = "Api";

    /// <summary>
    /// A read that the cluster has not answered by then is answered 503 with Retry-After. Without it a read routed to
    /// a silo that just died waits out Orleans' response timeout (30 s) and then fails as a 500.
    /// </summary>
    public TimeSpan ClusterCallTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The bound of a deployment (and rollback), which waits for every silo to load the version: each silo has the
    /// silos' <c>Enrichment:Deployment:SwapTimeout</c> (30 s) to answer, in parallel, so this must exceed it.
    /// </summary>
    public TimeSpan DeploymentCallTimeout { get; set; } = TimeSpan.FromSeconds(40);

    /// <summary>Review-log entries the export reads from the cluster per page: the client's memory for an export, whatever the log's size.</summary>
    [System.ComponentModel.DataAnnotations.Range(1, Enrichment.Abstractions.ReviewRules.MaxExportPage)]
    public int ReviewExportPageSize { get; set; } = 1_000;
}

/// <summary>Endpoint metadata: this action is bounded by <see cref="ApiOptions.DeploymentCallTimeout"/>, not the read bound.</summary>
public sealed class DeploymentCallBound
{
    public static readonly DeploymentCallBound Instance = new();
}
