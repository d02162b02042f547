using System.CommandLine;

namespace Enrichment.Client.Hosting;

/// <summary>Options shared by every client command, turned into configuration keys so the options classes bind them.</summary>
public sealed class ClientCommandLine
{
    public Option<string?> Postgres { get; } = new("--postgres") { Description = "PostgreSQL connection string of a real cluster; omit for the embedded localhost cluster" };
    public Option<string?> ClusterId { get; } = new("--cluster-id") { Description = "Orleans cluster id" };
    public Option<string?> AdminToken { get; } = new("--admin-token") { Description = "Token that admin actions (training, deployment) require; none disables them" };
    public Option<string?> IngestToken { get; } = new("--ingest-token") { Description = "Token that POST /api/events requires (X-Ingest-Token or Bearer); none leaves ingest open" };
    public Option<int[]> GatewayPorts { get; } = new("--gateway-port") { Description = "Localhost gateway port(s) in embedded mode", AllowMultipleArgumentsPerToken = true };

    /// <summary>The cluster's options; the tokens only where <paramref name="tokens"/> (the HTTP API's: `ingest` serves nothing).</summary>
    public void AddTo(Command command, bool tokens)
    {
        command.Options.Add(Postgres);
        command.Options.Add(ClusterId);
        command.Options.Add(GatewayPorts);
        if (tokens)
        {
            command.Options.Add(AdminToken);
            command.Options.Add(IngestToken);
        }
    }

    public Dictionary<string, string?> ToConfiguration(ParseResult result)
    {
        var values = new Dictionary<string, string?>();
        if (result.GetValue(Postgres) is { } postgres)
        {
            values["Cluster:Postgres"] = postgres;
        }
        if (result.GetValue(ClusterId) is { } clusterId)
        {
            values["Cluster:ClusterId"] = clusterId;
        }
        if (result.GetValue(AdminToken) is { } token)
        {
            values["Admin:Token"] = token;
        }
        if (result.GetValue(IngestToken) is { } ingestToken)
        {
            values["Ingest:Token"] = ingestToken;
        }
        if (result.GetValue(GatewayPorts) is { Length: > 0 } ports)
        {
            for (var i = 0; i < ports.Length; i++)
            {
                values[$"Cluster:GatewayPorts:{i}"] = ports[i].ToString();
            }
        }
        return values;
    }
}
