namespace FirmwareSim.Firmware;

/// <summary>How the simulated fleet connects and behaves as firmware.</summary>
public sealed class FleetOptions
{
    public string BrokerUrl { get; set; } = "mqtt://127.0.0.1:1883";
    public int Seed { get; set; } = 1;
    /// <summary>QoS 1 per DESIGN §5; false sends QoS 0 (load experiments only).</summary>
    public bool AtLeastOnce { get; set; } = true;
    /// <summary>Readings a device keeps while offline before dropping the oldest.</summary>
    public int BufferCapacity { get; set; } = 2000;
    /// <summary>QoS 1 publishes a device keeps in flight while forwarding its buffer (order holds on one connection).</summary>
    public int DeviceWindow { get; set; } = 16;
    public TimeSpan ReconnectMin { get; set; } = TimeSpan.FromMilliseconds(500);
    public TimeSpan ReconnectMax { get; set; } = TimeSpan.FromSeconds(30);
    /// <summary>Devices connecting at once on start-up (a whole district powering on must not storm the broker).</summary>
    public int ConnectConcurrency { get; set; } = 64;

    private SemaphoreSlim? _connectGate;
    internal SemaphoreSlim ConnectGate => _connectGate ??= new SemaphoreSlim(ConnectConcurrency);
}
