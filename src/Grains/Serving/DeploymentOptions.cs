namespace Enrichment.Grains.Serving;

/// <summary>Bounds on the per-silo calls of a deployment or status report; bound from "Enrichment:Deployment".</summary>
public sealed class DeploymentOptions
{
    public const string Section = "Enrichment:Deployment";

    /// <summary>A swap downloads and loads weights, so it gets seconds; a silo that has not answered by then is reported unreachable.</summary>
    public TimeSpan SwapTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>A status answer is immediate on a live silo.</summary>
    public TimeSpan StatusTimeout { get; set; } = TimeSpan.FromSeconds(2);
}
