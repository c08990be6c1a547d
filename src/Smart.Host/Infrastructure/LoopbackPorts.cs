using System.Net;
using System.Net.Sockets;

namespace Smart.Host.Infrastructure;

internal static class LoopbackPorts
{
    /// <summary>Fails with a one-line message that says what to do when a port the host wants to bind is taken.</summary>
    public static void ThrowIfBusy(int port, string portSetting, string externalSetting)
    {
        try
        {
            var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            listener.Stop();
        }
        catch (SocketException)
        {
            throw new InvalidOperationException(
                $"Port {port} on 127.0.0.1 is busy. Stop what uses it, choose another port ({portSetting}=...), or use an external server ({externalSetting}=...).");
        }
    }

    public static async Task<bool> AcceptsAsync(int port)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException) { return false; }
    }
}
