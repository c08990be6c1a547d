using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using Smart.Mqtt.Packets;

namespace Smart.Mqtt.Formatter;

/// <summary>Encodes control packets. PUBLISH and the acknowledgements have allocation-free fast paths
/// (<see cref="WritePublish"/>, <see cref="WriteAck"/>); other packets go through a scratch body buffer.</summary>
public static partial class MqttPacketEncoder
{
    [ThreadStatic] private static ArrayBufferWriter<byte>? t_scratch;

    /// <summary>Encodes any packet.</summary>
    public static void Encode(IBufferWriter<byte> w, MqttPacket packet, MqttProtocolVersion version)
    {
        switch (packet)
        {
            case MqttPublishPacket { Properties: null } p:
                var m = p.Message;
                WritePublish(w, version, m.Topic, m.Payload.Span, m.Qos, m.Retain, m.Duplicate, p.PacketId);
                return;
            case MqttAckPacket { Properties: null } a when a.ReasonCode == 0 || version == MqttProtocolVersion.V500:
                WriteAck(w, a.Type, a.PacketId, a.ReasonCode, version);
                return;
            case MqttPingPacket:
                w.WriteByte((byte)((int)packet.Type << 4));
                w.WriteByte(0);
                return;
        }
        var body = t_scratch ??= new ArrayBufferWriter<byte>(256);
        body.ResetWrittenCount();
        var flags = EncodeBody(body, packet, version);
        w.WriteByte((byte)(((int)packet.Type << 4) | flags));
        w.WriteVarInt((uint)body.WrittenCount);
        w.Write(body.WrittenSpan);
        if (body.Capacity > 64 * 1024) t_scratch = null; // do not pin a large buffer per thread
    }

    /// <summary>Size of a PUBLISH without properties, header included.</summary>
    public static int PublishSize(MqttProtocolVersion version, int topicBytes, int payloadBytes, MqttQos qos)
    {
        var remaining = 2 + topicBytes + (qos == MqttQos.AtMostOnce ? 0 : 2) + (version == MqttProtocolVersion.V500 ? 1 : 0) + payloadBytes;
        return 1 + MqttBodyWriter.VarIntSize((uint)remaining) + remaining;
    }

    /// <summary>PUBLISH without properties (MQTT 5 §3.3), written in one span.</summary>
    public static void WritePublish(IBufferWriter<byte> w, MqttProtocolVersion version, string topic, ReadOnlySpan<byte> payload,
        MqttQos qos, bool retain, bool dup, ushort packetId)
    {
        var topicBytes = Encoding.UTF8.GetByteCount(topic);
        if (topicBytes > ushort.MaxValue) throw new ArgumentException($"MQTT topic of {topicBytes} UTF-8 bytes exceeds 65535.", nameof(topic));
        var remaining = 2 + topicBytes + (qos == MqttQos.AtMostOnce ? 0 : 2) + (version == MqttProtocolVersion.V500 ? 1 : 0) + payload.Length;
        var total = 1 + MqttBodyWriter.VarIntSize((uint)remaining) + remaining;
        var span = w.GetSpan(total);
        span[0] = (byte)(0x30 | (dup ? 8 : 0) | ((int)qos << 1) | (retain ? 1 : 0));
        var pos = 1 + MqttBodyWriter.WriteVarInt(span[1..], (uint)remaining);
        BinaryPrimitives.WriteUInt16BigEndian(span[pos..], (ushort)topicBytes);
        pos += 2;
        pos += Encoding.UTF8.GetBytes(topic, span[pos..]);
        if (qos != MqttQos.AtMostOnce)
        {
            BinaryPrimitives.WriteUInt16BigEndian(span[pos..], packetId);
            pos += 2;
        }
        if (version == MqttProtocolVersion.V500) span[pos++] = 0; // empty property list
        payload.CopyTo(span[pos..]);
        w.Advance(total);
    }

    /// <summary>PUBACK / PUBREC / PUBREL / PUBCOMP. A success code is omitted (MQTT 5 §3.4.2.1: remaining length 2).</summary>
    public static void WriteAck(IBufferWriter<byte> w, MqttPacketType type, ushort packetId, byte reasonCode, MqttProtocolVersion version)
    {
        var withReason = reasonCode != 0 && version == MqttProtocolVersion.V500;
        var span = w.GetSpan(5);
        span[0] = (byte)(((int)type << 4) | (type == MqttPacketType.PubRel ? 2 : 0));
        span[1] = (byte)(withReason ? 3 : 2);
        BinaryPrimitives.WriteUInt16BigEndian(span[2..], packetId);
        if (withReason) span[4] = reasonCode;
        w.Advance(withReason ? 5 : 4);
    }
}
