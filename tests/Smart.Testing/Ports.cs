using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Smart.Testing;

public static class Ports
{
    /// <summary>
    /// Below Linux's ephemeral range (32768–60999), so no outgoing connection is ever given one of these ports while a
    /// fixture's server is starting. The OS-chosen "port 0" trick picked from the ephemeral range, and a test's own
    /// HTTP client could take the port in the moment between the check and influxd's bind (CI failed on exactly that).
    /// </summary>
    public const int First = 20000, Last = 32767;

    /// <summary>Per user: another user's directory would not be writable (its test processes are not coordinated with ours).</summary>
    public static readonly string LockDirectory = Path.Combine(Path.GetTempPath(), $"smart-test-ports-{Environment.UserName}");
    private static readonly ConcurrentBag<FileStream> Reservations = [];

    /// <summary>
    /// A TCP port on 127.0.0.1 that is free and reserved for this process: test assemblies run as parallel processes,
    /// so each port is claimed with an exclusive lock on a file named after it, held until this process exits (the OS
    /// drops the lock even when the process is killed).
    /// </summary>
    public static int Free()
    {
        Directory.CreateDirectory(LockDirectory);
        for (var attempt = 0; attempt < 1000; attempt++)
        {
            var port = Random.Shared.Next(First, Last + 1);
            if (TryReserve(port, out var reservation) is false) continue;
            if (CanBind(port))
            {
                Reservations.Add(reservation!);
                return port;
            }
            reservation!.Dispose();
        }
        throw new InvalidOperationException($"No free TCP port in {First}–{Last} after 1000 tries; is another test run holding them all?");
    }

    private static bool TryReserve(int port, out FileStream? reservation)
    {
        try
        {
            // FileShare.None takes an exclusive advisory lock (flock) on Unix; a second process gets an IOException.
            reservation = new FileStream(Path.Combine(LockDirectory, $"{port}.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            reservation = null;
            return false;
        }
    }

    private static bool CanBind(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    public static async Task<bool> AcceptsAsync(int port)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, port).ConfigureAwait(false);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
