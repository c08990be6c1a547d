using FirmwareSim.Transport;
using Smart.Core;

namespace FirmwareSim.Firmware;

internal sealed partial class DeviceAgent
{
    private Task? _commandPump;

    private async Task<bool> TryConnectAsync(CancellationToken ct)
    {
        var statusTopic = device.Topic(TopicChannel.Status);
        // DESIGN §5: username = device id, its own password; the will marks the device offline (retained).
        var link = factory.Create(new LinkOptions(options.BrokerUrl, device.Id, device.Id, device.Password,
            statusTopic, Offline, PersistentSession: true, MaxInflight: 100));
        await options.ConnectGate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            await link.ConnectAsync(ct).ConfigureAwait(false);
            await link.SubscribeAsync(device.Topic(TopicChannel.Command), ct).ConfigureAwait(false);
            await link.PublishAsync(statusTopic, Online, atLeastOnce: true, retain: true, ct).ConfigureAwait(false);
        }
        catch (MqttLinkException)
        {
            Interlocked.Increment(ref stats._connectFailures);
            await link.AbortAsync().ConfigureAwait(false);
            await link.DisposeAsync().ConfigureAwait(false);
            return false;
        }
        finally
        {
            options.ConnectGate.Release();
        }
        _link = link;
        _backoff.Reset();
        Interlocked.Increment(ref stats._connects);
        _commandPump = PumpCommandsAsync(link, ct);
        return true;
    }

    private async Task PumpCommandsAsync(IMqttLink link, CancellationToken ct)
    {
        try
        {
            await foreach (var m in link.Incoming.ReadAllAsync(ct).ConfigureAwait(false))
            {
                Interlocked.Increment(ref stats._commands);
                onCommand(index, m.Payload);
            }
        }
        catch (OperationCanceledException) { }
        catch (MqttLinkException) { } // the uplink loop notices the lost link and reconnects
    }

    private async Task DropLinkAsync(bool graceful)
    {
        var link = _link;
        _link = null;
        if (link is null) return;
        if (graceful)
        {
            try
            {
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await link.PublishAsync(device.Topic(TopicChannel.Status), Offline, atLeastOnce: true, retain: true, cts.Token).ConfigureAwait(false);
                await link.DisconnectAsync(cts.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is MqttLinkException or OperationCanceledException) { }
        }
        await link.AbortAsync().ConfigureAwait(false);
        await link.DisposeAsync().ConfigureAwait(false);
        _commandPump = null; // it ends when the disposed link completes its channel
    }

    /// <summary>End of the run: marks the device offline (retained) and disconnects cleanly.</summary>
    public Task ShutdownAsync() => DropLinkAsync(graceful: true);
}
