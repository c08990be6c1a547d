using System.Buffers;
using Smart.Mqtt.Packets;

namespace Smart.Mqtt.Formatter;

/// <summary>Decodes control packets from a byte stream. Rejects malformed input with <see cref="MqttProtocolException"/>
/// and never buffers more than <c>maxPacketBytes</c> for one packet: the fixed header is checked first.</summary>
public static partial class MqttPacketDecoder
{
    /// <summary>Decodes one packet from the front of <paramref name="buffer"/> and slices it off.</summary>
    /// <returns>False when the buffer holds only part of a packet (read more and call again).</returns>
    public static bool TryDecode(ref ReadOnlySequence<byte> buffer, MqttProtocolVersion version, int maxPacketBytes, out MqttPacket? packet)
    {
        packet = null;
        if (!TryReadFixedHeader(buffer, maxPacketBytes, out var header, out var headerLength, out var remaining)) return false;
        if (buffer.Length - headerLength < remaining) return false;
        var body = buffer.Slice(headerLength, remaining);
        packet = body.IsSingleSegment ? Decode(header, body.FirstSpan, version) : DecodeCopied(header, body, version);
        buffer = buffer.Slice(body.End);
        return true;
    }

    private static MqttPacket DecodeCopied(byte header, ReadOnlySequence<byte> body, MqttProtocolVersion version)
    {
        var rented = ArrayPool<byte>.Shared.Rent((int)body.Length);
        try
        {
            body.CopyTo(rented);
            return Decode(header, rented.AsSpan(0, (int)body.Length), version);
        }
        finally { ArrayPool<byte>.Shared.Return(rented); }
    }

    /// <summary>First byte + remaining length (MQTT 5 §2.1). Validates type, flags and size before the body is read.</summary>
    private static bool TryReadFixedHeader(ReadOnlySequence<byte> buffer, int maxPacketBytes, out byte header, out int headerLength, out int remaining)
    {
        var reader = new SequenceReader<byte>(buffer);
        remaining = 0;
        headerLength = 0;
        if (!reader.TryRead(out header)) return false;
        ValidateTypeAndFlags(header);
        for (var i = 0; i < 4; i++)
        {
            if (!reader.TryRead(out var b)) return false;
            remaining |= (b & 0x7F) << (7 * i);
            if ((b & 0x80) != 0) continue;
            headerLength = 2 + i;
            if ((long)remaining + headerLength > maxPacketBytes)
                throw new MqttProtocolException($"MQTT packet of {remaining + headerLength} bytes exceeds the maximum packet size of {maxPacketBytes} bytes (MaxPacketBytes).");
            return true;
        }
        throw new MqttProtocolException("Malformed MQTT fixed header: remaining length longer than 4 bytes (MQTT 5 §1.5.5).");
    }

    private static void ValidateTypeAndFlags(byte header)
    {
        var type = (MqttPacketType)(header >> 4);
        var flags = header & 0x0F;
        var ok = type switch
        {
            0 => false,
            MqttPacketType.Publish => ((flags >> 1) & 3) != 3 && (flags & 0x0E) != 0x08, // QoS 3 or DUP on QoS 0 (§3.3.1)
            MqttPacketType.PubRel or MqttPacketType.Subscribe or MqttPacketType.Unsubscribe => flags == 0x02,
            _ => flags == 0,
        };
        if (!ok) throw new MqttProtocolException($"Malformed MQTT fixed header 0x{header:X2}: invalid packet type or flags (MQTT 5 §2.1.3).");
    }

    private static MqttPacket Decode(byte header, ReadOnlySpan<byte> body, MqttProtocolVersion version)
    {
        var type = (MqttPacketType)(header >> 4);
        var r = new MqttBodyReader(body, type);
        var v5 = version == MqttProtocolVersion.V500;
        MqttPacket packet = type switch
        {
            MqttPacketType.Connect => DecodeConnect(ref r),
            MqttPacketType.ConnAck => DecodeConnAck(ref r, v5),
            MqttPacketType.Publish => DecodePublish(ref r, header, v5),
            MqttPacketType.PubAck or MqttPacketType.PubRec or MqttPacketType.PubRel or MqttPacketType.PubComp => DecodeAck(ref r, type, v5),
            MqttPacketType.Subscribe => DecodeSubscribe(ref r, v5),
            MqttPacketType.SubAck or MqttPacketType.UnsubAck => DecodeSubAck(ref r, type, v5),
            MqttPacketType.Unsubscribe => DecodeUnsubscribe(ref r, v5),
            MqttPacketType.PingReq => MqttPingPacket.Request,
            MqttPacketType.PingResp => MqttPingPacket.Response,
            _ => DecodeReasonPacket(ref r, type, v5),
        };
        r.ExpectEnd();
        return packet;
    }

    private static ushort ReadPacketId(ref MqttBodyReader r)
    {
        var id = r.ReadUInt16();
        if (id == 0) throw r.Fail("packet identifier 0 (MQTT 5 §2.2.1)");
        return id;
    }

    private static MqttPacket DecodePublish(ref MqttBodyReader r, byte header, bool v5)
    {
        var qos = (MqttQos)((header >> 1) & 3);
        var topic = r.ReadString();
        if (topic.AsSpan().IndexOfAny('+', '#') >= 0) throw r.Fail("topic name contains a wildcard (MQTT 5 §3.3.2.1)");
        var id = qos == MqttQos.AtMostOnce ? (ushort)0 : ReadPacketId(ref r);
        var props = v5 ? r.ReadProperties() : null;
        if (topic.Length == 0 && props?.GetNumber(MqttPropertyId.TopicAlias) is null)
            throw r.Fail("empty topic name without a topic alias (MQTT 5 §3.3.2.1)");
        var payload = r.ReadRest().ToArray();
        var message = new MqttApplicationMessage(topic, payload, qos, (header & 1) != 0, (header & 8) != 0, id);
        return new MqttPublishPacket(message, id, props);
    }

    private static MqttPacket DecodeAck(ref MqttBodyReader r, MqttPacketType type, bool v5)
    {
        var id = ReadPacketId(ref r);
        if (!v5 || r.End) return new MqttAckPacket(type, id);
        var reason = r.ReadByte();
        var props = r.End ? null : r.ReadProperties();
        return new MqttAckPacket(type, id, reason, props);
    }

    private static MqttPacket DecodeReasonPacket(ref MqttBodyReader r, MqttPacketType type, bool v5)
    {
        if (type == MqttPacketType.Auth && !v5) throw r.Fail("AUTH exists only in MQTT 5");
        if (!v5 || r.End) return new MqttReasonPacket(type);
        var reason = r.ReadByte();
        var props = r.End ? null : r.ReadProperties();
        return new MqttReasonPacket(type, reason, props);
    }
}
