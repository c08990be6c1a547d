using Smart.Mqtt.Packets;

namespace Smart.Mqtt.Formatter;

// CONNECT / CONNACK / SUBSCRIBE / SUBACK / UNSUBSCRIBE / UNSUBACK: the session-control packets.
public static partial class MqttPacketDecoder
{
    private static MqttPacket DecodeConnect(ref MqttBodyReader r)
    {
        var name = r.ReadString();
        var level = r.ReadByte();
        if (name != "MQTT" || level is not (4 or 5)) throw r.Fail($"unsupported protocol '{name}' level {level} (MQTT 5 §3.1.2.1)");
        var v5 = level == 5;
        var flags = r.ReadByte();
        if ((flags & 1) != 0) throw r.Fail("reserved connect flag set (MQTT 5 §3.1.2.3)");
        var will = (flags & 0x04) != 0;
        var willQos = (flags >> 3) & 3;
        var willRetain = (flags & 0x20) != 0;
        if (willQos == 3 || (!will && (willQos != 0 || willRetain))) throw r.Fail("invalid will QoS/retain flags (MQTT 5 §3.1.2.6)");
        if (!v5 && (flags & 0xC0) == 0x40) throw r.Fail("password flag without user name flag (MQTT 3.1.1 §3.1.2.9)");
        var keepAlive = r.ReadUInt16();
        var props = v5 ? r.ReadProperties() : null;
        var clientId = r.ReadString();
        MqttProperties? willProps = null;
        string? willTopic = null;
        byte[]? willPayload = null;
        if (will)
        {
            willProps = v5 ? r.ReadProperties() : null;
            willTopic = r.ReadString();
            willPayload = r.ReadBinary();
        }
        var username = (flags & 0x80) != 0 ? r.ReadString() : null;
        var password = (flags & 0x40) != 0 ? r.ReadBinary() : null;
        return new MqttConnectPacket
        {
            ProtocolVersion = (MqttProtocolVersion)level, ClientId = clientId, CleanStart = (flags & 2) != 0,
            KeepAliveSeconds = keepAlive, Username = username, Password = password, WillTopic = willTopic,
            WillPayload = willPayload, WillQos = (MqttQos)willQos, WillRetain = willRetain, WillProperties = willProps,
            Properties = props,
        };
    }

    private static MqttPacket DecodeConnAck(ref MqttBodyReader r, bool v5)
    {
        var ackFlags = r.ReadByte();
        if ((ackFlags & 0xFE) != 0) throw r.Fail("reserved CONNACK flags set (MQTT 5 §3.2.2.1)");
        var code = r.ReadByte();
        var props = v5 ? r.ReadProperties() : null;
        return new MqttConnAckPacket { SessionPresent = (ackFlags & 1) != 0, ReasonCode = code, Properties = props };
    }

    private static MqttPacket DecodeSubscribe(ref MqttBodyReader r, bool v5)
    {
        var id = ReadPacketId(ref r);
        var props = v5 ? r.ReadProperties() : null;
        var subs = new List<MqttSubscription>();
        do
        {
            var filter = r.ReadString();
            var options = r.ReadByte();
            var qos = options & 3;
            var retainHandling = (byte)((options >> 4) & 3);
            var reservedMask = v5 ? 0xC0 : 0xFC;
            if (qos == 3 || (options & reservedMask) != 0 || retainHandling == 3)
                throw r.Fail($"invalid subscription options 0x{options:X2} (MQTT 5 §3.8.3.1)");
            subs.Add(new MqttSubscription(filter, (MqttQos)qos, (options & 4) != 0, (options & 8) != 0, retainHandling));
        } while (!r.End);
        return new MqttSubscribePacket { PacketId = id, Subscriptions = subs, Properties = props };
    }

    private static MqttPacket DecodeSubAck(ref MqttBodyReader r, MqttPacketType type, bool v5)
    {
        var id = ReadPacketId(ref r);
        var props = v5 ? r.ReadProperties() : null;
        var codes = r.ReadRest().ToArray();
        if (type == MqttPacketType.SubAck && codes.Length == 0) throw r.Fail("SUBACK without return codes (MQTT 5 §3.9.3)");
        if (type == MqttPacketType.UnsubAck && v5 && codes.Length == 0) throw r.Fail("UNSUBACK without reason codes (MQTT 5 §3.11.3)");
        if (type == MqttPacketType.UnsubAck && !v5 && codes.Length != 0) throw r.Fail("UNSUBACK with a payload (MQTT 3.1.1 §3.11)");
        if (!v5 && Array.Exists(codes, c => c is not (0 or 1 or 2 or 0x80))) throw r.Fail("invalid SUBACK return code (MQTT 3.1.1 §3.9.3)");
        return new MqttSubAckPacket(type, id, codes, props);
    }

    private static MqttPacket DecodeUnsubscribe(ref MqttBodyReader r, bool v5)
    {
        var id = ReadPacketId(ref r);
        var props = v5 ? r.ReadProperties() : null;
        var filters = new List<string>();
        do filters.Add(r.ReadString()); while (!r.End);
        return new MqttUnsubscribePacket { PacketId = id, TopicFilters = filters, Properties = props };
    }
}
