namespace FirmwareSim.Engine;

/// <summary>What a simulated device does at a simulated instant.</summary>
internal enum SimAction
{
    Publish,
    /// <summary>The radio link drops (flapping): the device keeps sampling into its local buffer.</summary>
    GoOffline,
    GoOnline,
    /// <summary>Power loss: the connection dies without DISCONNECT, so the broker publishes the will.</summary>
    Die,
    Revive,
}

/// <summary>
/// One step of the simulated traffic. <see cref="Invalid"/> marks deliberate bad input (it may be refused by the broker
/// ACL or dead-lettered by the bridge; it is never retried).
/// </summary>
internal sealed record SimMessage(long SimMs, int Device, SimAction Action, string Topic, byte[] Payload, bool Invalid = false)
{
    public static SimMessage Control(long simMs, int device, SimAction action) => new(simMs, device, action, "", []);
}
