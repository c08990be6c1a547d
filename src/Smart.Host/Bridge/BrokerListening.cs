using Smart.Mqtt;

namespace Smart.Host.Bridge;

/// <summary>
/// Since when the bridge has been hearing the devices without a break: from the moment its broker session is connected
/// (subscriptions restored) until it drops. The silence detector judges a device only for the time it could have been
/// heard, so a host that was down or cut off from the broker does not report every device offline when it is back.
/// </summary>
public sealed class BrokerListening(TimeProvider clock)
{
    private const long NotListening = long.MinValue;
    private long _sinceMs = NotListening;

    /// <summary>Unix ms since when the bridge has been connected; null while it is not.</summary>
    public long? SinceMs => Interlocked.Read(ref _sinceMs) is var since && since != NotListening ? since : null;

    /// <summary>Follows the bridge client's <see cref="MqttClient.StateChanged"/>.</summary>
    public void Observe(MqttConnectionState state)
    {
        if (state.IsConnected) Interlocked.CompareExchange(ref _sinceMs, clock.GetUtcNow().ToUnixTimeMilliseconds(), NotListening);
        else Interlocked.Exchange(ref _sinceMs, NotListening);
    }
}
