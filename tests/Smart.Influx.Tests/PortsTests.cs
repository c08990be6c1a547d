using System.Net;
using System.Net.Sockets;

using Smart.Testing;

namespace Smart.Influx.Tests;

/// <summary>The fixtures' ports: outside the ephemeral range and never handed out twice while reserved.</summary>
public sealed class PortsTests
{
    [Fact]
    public void Ports_are_distinct_bindable_and_below_the_ephemeral_range()
    {
        var ports = Enumerable.Range(0, 50).Select(_ => Ports.Free()).ToList();

        Assert.Equal(ports.Count, ports.Distinct().Count());
        Assert.All(ports, p => Assert.InRange(p, Ports.First, Ports.Last));
        var ephemeralStart = int.Parse(File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split('\t', ' ')[0]);
        Assert.True(Ports.Last < ephemeralStart, $"ephemeral ports start at {ephemeralStart}");
        using var listener = new TcpListener(IPAddress.Loopback, ports[0]);
        listener.Start();
    }

    [Fact]
    public void A_reserved_port_cannot_be_claimed_by_another_process()
    {
        var port = Ports.Free();
        // flock locks belong to an open file description, so a second open here stands for another test process.
        var lockFile = Path.Combine(Ports.LockDirectory, $"{port}.lock");
        Assert.Throws<IOException>(() => new FileStream(lockFile, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
    }
}
