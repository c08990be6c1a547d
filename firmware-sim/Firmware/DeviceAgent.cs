using System.Threading.Channels;
using FirmwareSim.Engine;
using FirmwareSim.Registry;
using FirmwareSim.Transport;
using Smart.Core;

namespace FirmwareSim.Firmware;

/// <summary>
/// The uplink half of one device's firmware: keeps an MQTT session (own credentials, will, retained status),
/// reconnects with backoff and jitter, and sends every reading through a bounded store-and-forward buffer so that
/// readings taken while offline go out, in order, after reconnecting.
/// </summary>
internal sealed partial class DeviceAgent(int index, SimDevice device, IMqttLinkFactory factory, FleetOptions options,
    SimStats stats, Action<int, ReadOnlyMemory<byte>> onCommand)
{
    private static readonly byte[] Online = """{"online":true}"""u8.ToArray(), Offline = """{"online":false}"""u8.ToArray();
    private readonly StoreAndForwardBuffer<SimMessage> _buffer = new(options.BufferCapacity);
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly Backoff _backoff = new(options.ReconnectMin, options.ReconnectMax, Engine.StableRandom.For(options.Seed, device.Id, 0xBAC0FF));
    private IMqttLink? _link;
    private volatile bool _dead, _radioDown;

    public SimDevice Device => device;
    public int Buffered => _buffer.Count;
    public bool Connected => _link?.IsConnected == true;
    public long Dropped => _buffer.Dropped;

    /// <summary>Called by the fleet runner with what the device model produced (any thread).</summary>
    public void Deliver(SimMessage m)
    {
        switch (m.Action)
        {
            case SimAction.Publish:
                Interlocked.Increment(ref stats._generated);
                if (!_buffer.Add(m)) Interlocked.Increment(ref stats._dropped);
                break;
            case SimAction.Die: _dead = true; break;
            case SimAction.Revive: _dead = false; break;
            case SimAction.GoOffline: _radioDown = true; break;
            case SimAction.GoOnline: _radioDown = false; break;
        }
        _wake.Writer.TryWrite(true);
    }

    /// <summary>End of the run: a simulated link outage ends so the buffer can drain (a dead device stays dead).</summary>
    public void EndOutage()
    {
        _radioDown = false;
        _wake.Writer.TryWrite(true);
    }

    public async Task RunAsync(CancellationToken ct)
    {
        try
        {
            while (!ct.IsCancellationRequested)
            {
                if (_dead || _radioDown)
                {
                    if (_link is not null) await DropLinkAsync(graceful: false).ConfigureAwait(false);
                    await _wake.Reader.ReadAsync(ct).ConfigureAwait(false);
                    continue;
                }
                if (_link is null && !await TryConnectAsync(ct).ConfigureAwait(false))
                {
                    await WaitAsync(_backoff.Next(), ct).ConfigureAwait(false);
                    continue;
                }
                if (await FlushAsync(ct).ConfigureAwait(false))
                    await _wake.Reader.ReadAsync(ct).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // shutting down
        }
    }

    /// <summary>
    /// Sends the buffer from its head with up to <see cref="FleetOptions.DeviceWindow"/> publishes in flight (one
    /// connection keeps them in order) and removes each once the broker has it. Returns false when the link was lost or
    /// the radio went down; what was not acknowledged stays buffered and is sent again (at least once).
    /// </summary>
    private async Task<bool> FlushAsync(CancellationToken ct)
    {
        while (true)
        {
            if (_dead || _radioDown) return false;
            var batch = _buffer.PeekMany(options.DeviceWindow);
            if (batch.Count == 0) return true;
            var sends = batch.Select(m => _link!.PublishAsync(m.Topic, m.Payload, options.AtLeastOnce, retain: false, ct)).ToArray();
            for (var i = 0; i < sends.Length; i++)
            {
                if (!await DeliveredAsync(sends[i], batch[i]).ConfigureAwait(false))
                {
                    await ObserveRestAsync(sends.AsMemory(i + 1)).ConfigureAwait(false);
                    Interlocked.Increment(ref stats._disconnects);
                    await DropLinkAsync(graceful: false).ConfigureAwait(false);
                    return false;
                }
                _buffer.Remove(batch[i]);
            }
        }
    }

    /// <summary>True when the broker has the message or refused it for good; false when the connection was lost.</summary>
    private async Task<bool> DeliveredAsync(Task send, SimMessage m)
    {
        try
        {
            await send.ConfigureAwait(false);
            Interlocked.Increment(ref stats._published);
            if (options.AtLeastOnce) Interlocked.Increment(ref stats._acked);
        }
        catch (MqttLinkException e) when (!e.ConnectionLost)
        {
            Interlocked.Increment(ref stats._rejected); // refused by the broker (ACL): retrying cannot help
        }
        catch (MqttLinkException)
        {
            return false;
        }
        if (m.Invalid) Interlocked.Increment(ref stats._invalid);
        return true;
    }

    /// <summary>Publishes issued after a lost one fail too (or may have landed): they stay buffered and are resent.</summary>
    private static async Task ObserveRestAsync(ReadOnlyMemory<Task> rest)
    {
        for (var i = 0; i < rest.Length; i++)
        {
            try { await rest.Span[i].ConfigureAwait(false); }
            catch (MqttLinkException) { }
        }
    }

    private async Task WaitAsync(TimeSpan delay, CancellationToken ct)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(delay);
        try { await Task.Delay(Timeout.Infinite, cts.Token).ConfigureAwait(false); }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested) { }
    }
}
