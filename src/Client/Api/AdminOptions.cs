namespace Enrichment.Client.Api;

/// <summary>Bound from "Admin". Admin actions (training, deployment) need the token; read-only views do not.</summary>
public sealed class AdminOptions
{
    public const string Section = "Admin";

    /// <summary>Empty disables admin actions altogether: there is no default token.</summary>
    public string? Token { get; set; }
}
