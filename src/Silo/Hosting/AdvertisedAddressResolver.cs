using System.Net;
using System.Net.Sockets;

namespace Enrichment.Silo.Hosting;

/// <summary>
/// Turns the configured advertised address into the IP other silos and clients dial. Containers do not know
/// their address before they start, so besides an IP literal a host name is accepted (resolved once at start),
/// and "auto" means this host's own name, which Docker maps to the container's address on its network.
/// </summary>
public static class AdvertisedAddressResolver
{
    public const string Auto = "auto";

    public static IPAddress Resolve(string? configured)
    {
        var value = string.IsNullOrWhiteSpace(configured) ? Auto : configured.Trim();
        if (IPAddress.TryParse(value, out var literal))
        {
            return literal;
        }
        var host = value.Equals(Auto, StringComparison.OrdinalIgnoreCase) ? Dns.GetHostName() : value;
        IPAddress[] addresses;
        try
        {
            addresses = Dns.GetHostAddresses(host);
        }
        catch (SocketException ex)
        {
            throw new InvalidOperationException($"advertised address '{value}': host name '{host}' does not resolve ({ex.SocketErrorCode})", ex);
        }
        // Prefer an address other machines can reach; a name that only maps to loopback still works on one host.
        return addresses.Where(a => a.AddressFamily == AddressFamily.InterNetwork).OrderBy(IPAddress.IsLoopback).FirstOrDefault()
               ?? throw new InvalidOperationException($"advertised address '{value}': host name '{host}' has no IPv4 address");
    }
}
