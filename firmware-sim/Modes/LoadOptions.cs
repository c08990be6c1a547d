using FirmwareSim.Registry;

namespace FirmwareSim.Modes;

/// <summary>
/// <c>load</c> mode: many simulated devices multiplexed over a few MQTT connections. 10 000 devices with their own
/// sockets would measure the kernel and the broker's per-connection cost rather than message throughput, and the
/// sim would become the bottleneck of the ingest benchmark; so each connection publishes on behalf of many devices
/// (topic per device, <c>seq</c> per device) and logs in as one load user whose ACL allows <c>smart/v1/#</c>.
/// </summary>
public sealed class LoadOptions
{
    public string BrokerUrl { get; set; } = "mqtt://127.0.0.1:1883";
    /// <summary>Load user (the broker ACL must let it write <c>smart/v1/#</c>); null connects anonymously.</summary>
    public string? Username { get; set; }
    public string? Password { get; set; }
    public IReadOnlyList<SimDevice> Devices { get; set; } = [];
    public int Connections { get; set; } = 4;
    /// <summary>Target total rate in msgs/s; 0 = as fast as the broker takes them.</summary>
    public double Rate { get; set; }
    /// <summary>Exact number of messages to send; 0 = until <see cref="Duration"/>.</summary>
    public long Count { get; set; }
    public TimeSpan Duration { get; set; } = TimeSpan.FromSeconds(10);
    public bool AtLeastOnce { get; set; }
    /// <summary>Unacknowledged QoS 1 publishes per connection (and the client's in-flight window).</summary>
    public int Window { get; set; } = 2000;
    public int Seed { get; set; } = 1;
}

/// <summary>The final report of a load run.</summary>
public sealed record LoadReport(long Sent, long Acked, long Errors, TimeSpan Elapsed, double TargetRate, bool AtLeastOnce)
{
    public double MessagesPerSecond => Elapsed.TotalSeconds > 0 ? Acked / Elapsed.TotalSeconds : 0;
}
