using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;

namespace Enrichment.Silo.Hosting;

/// <summary>
/// What must hold before a silo starts: valid options, and free silo and gateway ports. Orleans does not refuse a
/// port another silo already holds on every platform; two silos then shared port 11111 and neither said so.
/// </summary>
public static class SiloPreflight
{
    /// <summary>Every reason not to start, or none.</summary>
    public static IReadOnlyList<string> Problems(IConfiguration configuration)
    {
        var problems = SiloOptionsValidation.Problems(configuration).ToList();
        if (problems.Count > 0)
        {
            return problems; // ports that are not ports cannot be probed
        }
        var options = configuration.GetSection(SiloHostOptions.Section).Get<SiloHostOptions>() ?? new();
        // Localhost clustering listens on loopback; a real cluster on some or all interfaces, which the wildcard covers.
        var address = options.UsesPostgres ? IPAddress.Any : IPAddress.Loopback;
        foreach (var (port, name) in new[] { (options.SiloPort, "--silo-port"), (options.GatewayPort, "--gateway-port") })
        {
            if (InUse(address, port))
            {
                problems.Add($"{name} {port} is already in use on {address}: another silo or program holds it; choose another port");
            }
        }
        var metrics = configuration.GetSection(SiloMetrics.Section).Get<SiloMetrics.Options>() ?? new();
        var health = configuration.GetSection(SiloHealth.Section).Get<SiloHealth.Options>() ?? new();
        foreach (var (port, host, name) in new[] { (metrics.Port, metrics.Host, "--metrics-port"), (health.Port, health.Host, "--health-port") })
        {
            if (port > 0 && IPAddress.TryParse(host, out var listenAddress) && InUse(listenAddress, port))
            {
                problems.Add($"{name} {port} is already in use on {host}; choose another port");
            }
        }
        return problems;
    }

    private static bool InUse(IPAddress address, int port)
    {
        // Exclusive, so that a listener that shares the port (SO_REUSEPORT) is not mistaken for a free port.
        using var probe = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { ExclusiveAddressUse = true };
        try
        {
            probe.Bind(new IPEndPoint(address, port));
            probe.Listen();
            return false;
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            return true;
        }
        catch (SocketException)
        {
            return false; // not ours to judge (a privileged port, say): Orleans reports it when it binds
        }
    }
}
