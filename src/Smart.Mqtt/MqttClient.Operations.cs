using Smart.Mqtt.Formatter;
using Smart.Mqtt.Internal;
using Smart.Mqtt.Packets;

namespace Smart.Mqtt;

// Publish / subscribe / unsubscribe.
public sealed partial class MqttClient
{
    /// <summary>Publishes a message. QoS 0 completes when queued for the socket (waits if the send queue is full);
    /// QoS 1/2 complete on PUBACK / PUBCOMP and wait while <see cref="MqttClientOptions.MaxInflight"/> publishes are
    /// unacknowledged. While reconnecting, QoS 1/2 publishes are queued and sent on the next connection (resent with DUP
    /// if they were already sent). Throws <see cref="MqttPublishException"/> for an MQTT 5 failure reason code.</summary>
    public Task PublishAsync(string topic, ReadOnlyMemory<byte> payload, MqttQos qos = MqttQos.AtMostOnce, bool retain = false, CancellationToken ct = default)
    {
        MqttTopic.ThrowIfInvalidTopicName(topic);
        if (qos > MqttQos.ExactlyOnce) throw new ArgumentOutOfRangeException(nameof(qos));
        ThrowIfTooLarge(topic, payload, qos);
        if (qos == MqttQos.AtMostOnce)
        {
            // Hot path (the simulator publishes 100k msgs/s): no state machine while connected.
            return _session.Current is { IsReady: true } c ? c.PublishQos0Async(topic, payload, retain) : PublishQos0SlowAsync(topic, payload, retain, ct);
        }
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_stopping || (!_options.AutoReconnect && !IsConnected))
            throw new MqttCommunicationException("Not connected to the MQTT broker: call ConnectAsync first (or the connection was lost and AutoReconnect is off).");
        var op = _session.Publish(topic, payload, qos, retain);
        return ct.CanBeCanceled ? WaitForAckAsync(op, ct) : op.Task;
    }

    /// <summary>A packet above the broker's maximum would get us disconnected (MQTT 5 §3.1.2.11.4) and, for QoS 1/2,
    /// resent forever after each reconnect: refuse it up front.</summary>
    private void ThrowIfTooLarge(string topic, ReadOnlyMemory<byte> payload, MqttQos qos)
    {
        var limit = _session.MaxOutgoingPacketBytes;
        if (payload.Length + topic.Length * 3 + 16 <= limit) return; // cheap upper bound, no UTF-8 count needed
        var size = MqttPacketEncoder.PublishSize(_options.ProtocolVersion, System.Text.Encoding.UTF8.GetByteCount(topic), payload.Length, qos);
        if (size > limit) throw new MqttPublishException(topic, MqttReasonCode.PacketTooLarge, $"{size} bytes, the broker accepts at most {limit}");
    }

    private async Task PublishQos0SlowAsync(string topic, ReadOnlyMemory<byte> payload, bool retain, CancellationToken ct)
    {
        var connection = await WaitConnectedAsync(ct).ConfigureAwait(false);
        await connection.PublishQos0Async(topic, payload, retain).ConfigureAwait(false);
    }

    private async Task WaitForAckAsync(MqttOutgoingPublish op, CancellationToken ct)
    {
        await using var _ = ct.Register(static s => { var (session, op) = ((MqttSession, MqttOutgoingPublish))s!; session.CancelWaiting(op); }, (_session, op)).ConfigureAwait(false);
        await op.Task.WaitAsync(ct).ConfigureAwait(false); // once sent, the publish stays in flight even if the caller gives up
    }

    /// <summary>Subscribes (a <c>$share/GROUP/filter</c> filter joins a shared group). Throws
    /// <see cref="MqttSubscribeException"/> when the broker refuses. Restored automatically when a reconnect finds no session.</summary>
    public async Task SubscribeAsync(string topicFilter, MqttQos qos, CancellationToken ct = default)
    {
        MqttTopic.ThrowIfInvalidTopicFilter(topicFilter);
        var connection = await WaitConnectedAsync(ct).ConfigureAwait(false);
        var id = _session.AllocateId();
        try
        {
            var packet = new MqttSubscribePacket { PacketId = id, Subscriptions = [new MqttSubscription(topicFilter, qos)] };
            var ack = await connection.RequestAsync(packet, id, ct).ConfigureAwait(false);
            var code = ack.ReasonCodes.Length > 0 ? ack.ReasonCodes[0] : (byte)0x80;
            if (code >= 0x80) throw new MqttSubscribeException(topicFilter, (MqttReasonCode)code);
            lock (_session.Sync) _session.Subscriptions[topicFilter] = qos;
        }
        finally
        {
            _session.FreeId(id);
        }
    }

    /// <summary>Unsubscribes and forgets the filter (it is not restored on reconnect).</summary>
    public async Task UnsubscribeAsync(string topicFilter, CancellationToken ct = default)
    {
        MqttTopic.ThrowIfInvalidTopicFilter(topicFilter);
        lock (_session.Sync) _session.Subscriptions.Remove(topicFilter);
        var connection = await WaitConnectedAsync(ct).ConfigureAwait(false);
        var id = _session.AllocateId();
        try
        {
            var packet = new MqttUnsubscribePacket { PacketId = id, TopicFilters = [topicFilter] };
            var ack = await connection.RequestAsync(packet, id, ct).ConfigureAwait(false);
            if (ack.ReasonCodes.Length > 0 && ack.ReasonCodes[0] >= 0x80)
                throw new MqttSubscribeException(topicFilter, (MqttReasonCode)ack.ReasonCodes[0]);
        }
        finally
        {
            _session.FreeId(id);
        }
    }
}
