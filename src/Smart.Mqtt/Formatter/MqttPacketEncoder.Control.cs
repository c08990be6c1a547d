using System.Buffers;
using Smart.Mqtt.Packets;

namespace Smart.Mqtt.Formatter;

// Bodies of the packets without a fast path. Returns the fixed-header flags.
public static partial class MqttPacketEncoder
{
    private static int EncodeBody(ArrayBufferWriter<byte> w, MqttPacket packet, MqttProtocolVersion version)
    {
        var v5 = version == MqttProtocolVersion.V500;
        switch (packet)
        {
            case MqttConnectPacket c: EncodeConnect(w, c); return 0;
            case MqttConnAckPacket a:
                w.WriteByte(a.SessionPresent ? (byte)1 : (byte)0);
                w.WriteByte(a.ReasonCode);
                if (v5) w.WriteProperties(a.Properties);
                return 0;
            case MqttPublishPacket p: return EncodePublishBody(w, p, v5);
            case MqttAckPacket a:
                w.WriteUInt16(a.PacketId);
                if (v5) { w.WriteByte(a.ReasonCode); w.WriteProperties(a.Properties); }
                return a.Type == MqttPacketType.PubRel ? 2 : 0;
            case MqttSubscribePacket s: EncodeSubscribe(w, s, v5); return 2;
            case MqttSubAckPacket s:
                w.WriteUInt16(s.PacketId);
                if (v5) w.WriteProperties(s.Properties);
                if (v5 || s.Type == MqttPacketType.SubAck) w.Write(s.ReasonCodes);
                return 0;
            case MqttUnsubscribePacket u:
                w.WriteUInt16(u.PacketId);
                if (v5) w.WriteProperties(u.Properties);
                foreach (var f in u.TopicFilters) w.WriteString(f);
                return 2;
            case MqttReasonPacket r:
                if (v5 && (r.ReasonCode != 0 || r.Properties is not null)) { w.WriteByte(r.ReasonCode); w.WriteProperties(r.Properties); }
                return 0;
            default: throw new ArgumentException($"Cannot encode {packet.GetType().Name}.", nameof(packet));
        }
    }

    private static int EncodePublishBody(ArrayBufferWriter<byte> w, MqttPublishPacket p, bool v5)
    {
        var m = p.Message;
        w.WriteString(m.Topic);
        if (m.Qos != MqttQos.AtMostOnce) w.WriteUInt16(p.PacketId);
        if (v5) w.WriteProperties(p.Properties);
        w.Write(m.Payload.Span);
        return (m.Duplicate ? 8 : 0) | ((int)m.Qos << 1) | (m.Retain ? 1 : 0);
    }

    private static void EncodeConnect(ArrayBufferWriter<byte> w, MqttConnectPacket c)
    {
        var v5 = c.ProtocolVersion == MqttProtocolVersion.V500;
        w.WriteString("MQTT");
        w.WriteByte((byte)c.ProtocolVersion);
        var will = c.WillTopic is not null;
        var flags = (c.CleanStart ? 0x02 : 0) | (will ? 0x04 | ((int)c.WillQos << 3) | (c.WillRetain ? 0x20 : 0) : 0)
            | (c.Password is not null ? 0x40 : 0) | (c.Username is not null ? 0x80 : 0);
        w.WriteByte((byte)flags);
        w.WriteUInt16(c.KeepAliveSeconds);
        if (v5) w.WriteProperties(c.Properties);
        w.WriteString(c.ClientId);
        if (will)
        {
            if (v5) w.WriteProperties(c.WillProperties);
            w.WriteString(c.WillTopic!);
            w.WriteBinary(c.WillPayload ?? []);
        }
        if (c.Username is not null) w.WriteString(c.Username);
        if (c.Password is not null) w.WriteBinary(c.Password);
    }

    private static void EncodeSubscribe(ArrayBufferWriter<byte> w, MqttSubscribePacket s, bool v5)
    {
        w.WriteUInt16(s.PacketId);
        if (v5) w.WriteProperties(s.Properties);
        foreach (var sub in s.Subscriptions)
        {
            w.WriteString(sub.TopicFilter);
            var options = (int)sub.Qos;
            if (v5) options |= (sub.NoLocal ? 4 : 0) | (sub.RetainAsPublished ? 8 : 0) | (sub.RetainHandling << 4);
            w.WriteByte((byte)options);
        }
    }
}
