using Smart.Mqtt.Formatter;
using Smart.Mqtt.Packets;

namespace Smart.Mqtt.Internal;

// Incoming packet dispatch (reader loop) and outgoing sends (any thread, through the write buffer).
internal sealed partial class MqttConnection
{
    private void Handle(MqttPacket packet)
    {
        if (!_connAck.Task.IsCompleted && packet.Type != MqttPacketType.ConnAck)
            throw new MqttProtocolException($"The broker sent {packet.Type} before CONNACK (MQTT 5 §3.1.4).");
        switch (packet)
        {
            case MqttConnAckPacket ack:
                if (!_connAck.TrySetResult(ack)) throw new MqttProtocolException("The broker sent a second CONNACK (MQTT 5 §3.2).");
                break;
            case MqttAckPacket ack: OnAck(ack); break;
            case MqttSubAckPacket subAck: CompleteRequest(subAck); break;
            case MqttPingPacket { Type: MqttPacketType.PingResp }: break; // arrival already refreshed the keep-alive clock
            case MqttReasonPacket { Type: MqttPacketType.Disconnect } d:
                var reason = (MqttReasonCode)d.ReasonCode;
                throw new MqttCommunicationException($"The MQTT broker closed the connection with DISCONNECT: {MqttReasonCodes.Describe(reason)}"
                    + (MqttProperties.Text(d.Properties, MqttPropertyId.ReasonString) is { } s ? $" — {s}" : ""));
            default:
                throw new MqttProtocolException($"A client must not receive {packet.Type} (MQTT 5 §2.1.2).");
        }
    }

    /// <summary>Registers an incoming PUBLISH for ordered acks and hands it to the application; false when the
    /// application's buffer is full (the caller then waits).</summary>
    private bool TryDeliver(MqttPublishPacket publish)
    {
        if (!_connAck.Task.IsCompleted) throw new MqttProtocolException("The broker sent PUBLISH before CONNACK (MQTT 5 §3.1.4).");
        if (publish.Properties?.GetNumber(MqttPropertyId.TopicAlias) is not null)
            throw new MqttProtocolException("The broker used a topic alias although Topic Alias Maximum is 0 (MQTT 5 §3.3.2.3.4).");
        var message = publish.Message;
        if (message.Qos == MqttQos.ExactlyOnce && session.IncomingQos2Pending(message.PacketId))
        {
            // MQTT 5 §4.3.3: PUBREC already sent for this id; answer again, do not deliver twice.
            SendAck(MqttPacketType.PubRec, message.PacketId, 0);
            return true;
        }
        if (message.Qos != MqttQos.AtMostOnce)
        {
            message.Connection = this;
            lock (_unacked) _unacked.Enqueue(message);
        }
        return messages.TryWrite(message);
    }

    private void OnAck(MqttAckPacket ack)
    {
        switch (ack.Type)
        {
            case MqttPacketType.PubAck:
            case MqttPacketType.PubComp:
                Finish(ack);
                break;
            case MqttPacketType.PubRec when ack.ReasonCode >= 0x80:
                Finish(ack); // MQTT 5 §4.3.3: a failed PUBREC ends the flow, no PUBREL
                break;
            case MqttPacketType.PubRec:
                var known = session.Release(ack.PacketId);
                SendAck(MqttPacketType.PubRel, ack.PacketId, known ? (byte)0 : (byte)MqttReasonCode.PacketIdentifierNotFound);
                break;
            case MqttPacketType.PubRel:
                var pending = session.IncomingQos2Released(ack.PacketId);
                SendAck(MqttPacketType.PubComp, ack.PacketId, pending ? (byte)0 : (byte)MqttReasonCode.PacketIdentifierNotFound);
                break;
        }
    }

    private void Finish(MqttAckPacket ack)
    {
        var op = session.Complete(ack.PacketId);
        if (op is null) return; // a late ack for a publish already failed by DisconnectAsync
        // PUBCOMP 0x92 after a reconnect means the broker lost its QoS 2 state; it accepted the message at PUBREC already.
        if (ack.ReasonCode >= 0x80 && ack.Type != MqttPacketType.PubComp)
            op.TrySetException(new MqttPublishException(op.Topic, (MqttReasonCode)ack.ReasonCode, MqttProperties.Text(ack.Properties, MqttPropertyId.ReasonString)));
        else
            op.TrySetResult();
    }

    /// <summary>Manual ack: marks the message and sends every ack that is now due, in receive order (MQTT 3.1.1 §4.6).</summary>
    public void Acknowledge(MqttApplicationMessage message)
    {
        if (IsClosed) return;
        lock (_unacked)
        {
            if (message.Acknowledged) return;
            message.Acknowledged = true;
            while (_unacked.TryPeek(out var head) && head.Acknowledged)
            {
                _unacked.Dequeue();
                if (head.Qos == MqttQos.ExactlyOnce)
                {
                    session.IncomingQos2Received(head.PacketId);
                    SendAckNoSignal(MqttPacketType.PubRec, head.PacketId);
                }
                else
                {
                    SendAckNoSignal(MqttPacketType.PubAck, head.PacketId);
                }
            }
        }
        _out.Signal();
    }

    private void SendAckNoSignal(MqttPacketType type, ushort id)
    {
        lock (_out.Sync) MqttPacketEncoder.WriteAck(_out.Writer, type, id, 0, Version);
    }

    private void SendAck(MqttPacketType type, ushort id, byte reason)
    {
        lock (_out.Sync) MqttPacketEncoder.WriteAck(_out.Writer, type, id, reason, Version);
        _out.Signal();
    }

    public void Send(MqttPacket packet)
    {
        lock (_out.Sync) MqttPacketEncoder.Encode(_out.Writer, packet, Version);
        _out.Signal();
    }

    /// <summary>Sends (or resends) a QoS 1/2 publish; after PUBREC only the PUBREL is repeated (MQTT 5 §4.4).</summary>
    public void SendPublish(MqttOutgoingPublish op)
    {
        if (op.Released)
        {
            SendAck(MqttPacketType.PubRel, op.PacketId, 0);
            return;
        }
        lock (_out.Sync)
            MqttPacketEncoder.WritePublish(_out.Writer, Version, op.Topic, op.Payload.Span, op.Qos, op.Retain, op.Sent, op.PacketId);
        op.Sent = true;
        _out.Signal();
    }

    /// <summary>QoS 0 publish: written into the send queue; waits only when the queue is above its high-water mark.</summary>
    public Task PublishQos0Async(string topic, ReadOnlyMemory<byte> payload, bool retain)
    {
        lock (_out.Sync)
            MqttPacketEncoder.WritePublish(_out.Writer, Version, topic, payload.Span, MqttQos.AtMostOnce, retain, false, 0);
        _out.Signal();
        return _out.WaitForRoomAsync();
    }

    /// <summary>SUBSCRIBE / UNSUBSCRIBE and the matching SUBACK / UNSUBACK.</summary>
    public async Task<MqttSubAckPacket> RequestAsync(MqttPacket packet, ushort id, CancellationToken ct)
    {
        var tcs = new TaskCompletionSource<MqttSubAckPacket>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_requests)
        {
            if (IsClosed) throw new MqttCommunicationException("The MQTT connection is closed.");
            _requests.Add(id, tcs);
        }
        Send(packet);
        try
        {
            return await tcs.Task.WaitAsync(options.ConnectTimeout, ct).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new MqttCommunicationException($"The broker did not answer {packet.Type} within {options.ConnectTimeout.TotalSeconds:0.#} s.");
        }
        finally
        {
            lock (_requests) _requests.Remove(id);
        }
    }

    private void CompleteRequest(MqttSubAckPacket ack)
    {
        TaskCompletionSource<MqttSubAckPacket>? tcs;
        lock (_requests) _requests.Remove(ack.PacketId, out tcs);
        if (tcs is null) throw new MqttProtocolException($"{ack.Type} for unknown packet identifier {ack.PacketId}.");
        tcs.TrySetResult(ack);
    }
}
