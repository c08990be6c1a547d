using Smart.Mqtt.Internal;
using Smart.Mqtt.Packets;

namespace Smart.Mqtt;

// Connection lifecycle: connect, restore the session, watch the connection, reconnect with backoff + jitter.
public sealed partial class MqttClient
{
    private async Task ConnectOnceAsync(CancellationToken ct)
    {
        var connection = new MqttConnection(_options, _session, _messages.Writer);
        var ack = await connection.OpenAsync(ct).ConfigureAwait(false);
        try
        {
            SessionPresent = ack.SessionPresent;
            if (!ack.SessionPresent) await ResubscribeAsync(connection, ct).ConfigureAwait(false);
            _session.Activate(connection, ack.SessionPresent);
        }
        catch (Exception ex)
        {
            connection.Abort(ex);
            throw;
        }
        _ = WatchAsync(connection);
        OpenGate();
        Raise(MqttConnectionStatus.Connected);
    }

    /// <summary>MQTT 5 §4.1: without a session the broker forgot our subscriptions; restore them before new traffic.</summary>
    private async Task ResubscribeAsync(MqttConnection connection, CancellationToken ct)
    {
        List<MqttSubscription> subs;
        lock (_session.Sync) subs = [.. _session.Subscriptions.Select(s => new MqttSubscription(s.Key, s.Value))];
        if (subs.Count == 0) return;
        var id = _session.AllocateId();
        try
        {
            var ack = await connection.RequestAsync(new MqttSubscribePacket { PacketId = id, Subscriptions = subs }, id, ct).ConfigureAwait(false);
            for (var i = 0; i < subs.Count && i < ack.ReasonCodes.Length; i++)
                if (ack.ReasonCodes[i] >= 0x80) throw new MqttSubscribeException(subs[i].TopicFilter, (MqttReasonCode)ack.ReasonCodes[i]);
        }
        finally
        {
            _session.FreeId(id);
        }
    }

    private async Task WatchAsync(MqttConnection connection)
    {
        var reason = await connection.Closed.ConfigureAwait(false);
        _session.Deactivate(connection);
        CloseGate();
        if (_stopping || reason is null) return; // a requested close (DisconnectAsync) reports nothing more
        Raise(MqttConnectionStatus.Disconnected, reason);
        if (_options.AutoReconnect) await ReconnectAsync(_lifetime.Token).ConfigureAwait(false);
        else
        {
            _session.FailAll(new MqttCommunicationException("The MQTT connection was lost before the broker acknowledged this publish (AutoReconnect is off).", reason));
            OpenGate(); // waiters re-check and fail: not connected, no reconnect
        }
    }

    private async Task ReconnectAsync(CancellationToken ct)
    {
        for (var attempt = 0; !ct.IsCancellationRequested; attempt++)
        {
            try
            {
                await Task.Delay(BackoffDelay(attempt), ct).ConfigureAwait(false);
                await _connectLock.WaitAsync(ct).ConfigureAwait(false);
                try
                {
                    if (_stopping || IsConnected) return;
                    Raise(MqttConnectionStatus.Reconnecting);
                    await ConnectOnceAsync(ct).ConfigureAwait(false);
                    return;
                }
                finally
                {
                    _connectLock.Release();
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                // Any failure of one attempt (refused, unreachable, TLS, a throwing StateChanged handler) must not end
                // the loop: the broker may come back or be reconfigured. The cause is reported, not swallowed.
                Raise(MqttConnectionStatus.Disconnected, ex);
            }
        }
    }

    /// <summary>Exponential backoff with full jitter (AWS Architecture Blog, "Exponential Backoff and Jitter"):
    /// uniform in [min, min(max, min·2^attempt)], so a fleet of clients does not reconnect in lockstep.</summary>
    private TimeSpan BackoffDelay(int attempt)
    {
        var min = _options.ReconnectMinDelay.TotalMilliseconds;
        var cap = Math.Min(_options.ReconnectMaxDelay.TotalMilliseconds, min * Math.Pow(2, Math.Min(attempt, 30)));
        return TimeSpan.FromMilliseconds(min + Random.Shared.NextDouble() * Math.Max(0, cap - min));
    }

    /// <summary>The current ready connection; waits through a reconnect; throws when none is coming.</summary>
    private async ValueTask<MqttConnection> WaitConnectedAsync(CancellationToken ct)
    {
        while (true)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_session.Current is { IsReady: true } c) return c;
            if (_stopping || !_options.AutoReconnect)
                throw new MqttCommunicationException("Not connected to the MQTT broker: call ConnectAsync first (or the connection was lost and AutoReconnect is off).");
            Task gate;
            lock (_stateLock) gate = _connectedGate.Task;
            await gate.WaitAsync(ct).ConfigureAwait(false);
            if (_session.Current is null) await Task.Yield(); // gate opened for a state change; loop re-checks
        }
    }

    /// <summary>Closes the socket without DISCONNECT, as a network failure would (tests of will and reconnect).</summary>
    internal void DropConnection() => _session.Current?.Abort(new MqttCommunicationException("Connection dropped on purpose (test)."));
}
