namespace FirmwareSim.Firmware;

/// <summary>Counters shared by every simulated device (Interlocked: many agents update them at once).</summary>
public sealed class SimStats
{
    internal long _generated, _published, _acked, _rejected, _dropped, _connects, _connectFailures, _disconnects, _commands, _invalid, _faults;

    /// <summary>Messages produced by the device models (before any buffering).</summary>
    public long Generated => Interlocked.Read(ref _generated);
    /// <summary>Messages the broker accepted (written for QoS 0, PUBACK for QoS 1).</summary>
    public long Published => Interlocked.Read(ref _published);
    public long Acked => Interlocked.Read(ref _acked);
    /// <summary>Messages the broker refused (ACL, MQTT 5 reason code).</summary>
    public long Rejected => Interlocked.Read(ref _rejected);
    /// <summary>Oldest readings dropped because a device's offline buffer was full.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);
    public long Connects => Interlocked.Read(ref _connects);
    public long ConnectFailures => Interlocked.Read(ref _connectFailures);
    public long Disconnects => Interlocked.Read(ref _disconnects);
    public long Commands => Interlocked.Read(ref _commands);
    /// <summary>Deliberately bad messages sent by scenarios.</summary>
    public long Invalid => Interlocked.Read(ref _invalid);
    /// <summary>Device loops that died on an unexpected exception (a bug: <see cref="Simulator.StopAsync"/> rethrows it).</summary>
    public long Faults => Interlocked.Read(ref _faults);

    public override string ToString() =>
        $"generated={Generated} published={Published} acked={Acked} rejected={Rejected} dropped={Dropped} invalid={Invalid} " +
        $"connects={Connects} connect_failures={ConnectFailures} disconnects={Disconnects} commands={Commands} faults={Faults}";
}
