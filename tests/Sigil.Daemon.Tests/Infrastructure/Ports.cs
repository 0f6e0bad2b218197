using System.Net;
using System.Net.Sockets;

namespace Sigil.Daemon.Tests.Infrastructure;

internal static class Ports
{
    /// <summary>A TCP port free on the loopback interface right now.</summary>
    public static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
