using System.Net;
using System.Net.Sockets;

namespace Enrichment.TestSupport;

/// <summary>Ports for servers that tests start on 127.0.0.1.</summary>
public static class LoopbackPorts
{
    /// <summary>A port free on 127.0.0.1 right now (the OS picks it; a server started next binds it).</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
