namespace Smart.Mqtt.Packets;

/// <summary>A decoded or to-be-encoded control packet. MQTT 5 fields are ignored on 3.1.1.</summary>
public abstract class MqttPacket
{
    public abstract MqttPacketType Type { get; }
}

/// <summary>CONNECT (MQTT 5 §3.1).</summary>
public sealed class MqttConnectPacket : MqttPacket
{
    public override MqttPacketType Type => MqttPacketType.Connect;
    public MqttProtocolVersion ProtocolVersion { get; init; } = MqttProtocolVersion.V500;
    public string ClientId { get; init; } = "";
    public bool CleanStart { get; init; } = true;
    public ushort KeepAliveSeconds { get; init; }
    public string? Username { get; init; }
    public byte[]? Password { get; init; }
    public string? WillTopic { get; init; }
    public byte[]? WillPayload { get; init; }
    public MqttQos WillQos { get; init; }
    public bool WillRetain { get; init; }
    public MqttProperties? WillProperties { get; init; }
    public MqttProperties? Properties { get; init; }
}

/// <summary>CONNACK (MQTT 5 §3.2). <see cref="ReasonCode"/> holds the raw 3.1.1 return code on 3.1.1.</summary>
public sealed class MqttConnAckPacket : MqttPacket
{
    public override MqttPacketType Type => MqttPacketType.ConnAck;
    public bool SessionPresent { get; init; }
    public byte ReasonCode { get; init; }
    public MqttProperties? Properties { get; init; }
}

/// <summary>PUBLISH (MQTT 5 §3.3): the message plus its packet identifier (0 for QoS 0).</summary>
public sealed class MqttPublishPacket(MqttApplicationMessage message, ushort packetId, MqttProperties? properties = null) : MqttPacket
{
    public override MqttPacketType Type => MqttPacketType.Publish;
    public MqttApplicationMessage Message { get; } = message;
    public ushort PacketId { get; } = packetId;
    public MqttProperties? Properties { get; } = properties;

    public static MqttPublishPacket Create(string topic, byte[] payload, MqttQos qos, bool retain, bool dup, ushort packetId,
        MqttProperties? properties = null) =>
        new(new MqttApplicationMessage(topic, payload, qos, retain, dup, packetId), packetId, properties);
}

/// <summary>PUBACK, PUBREC, PUBREL, PUBCOMP (MQTT 5 §3.4–3.7): a packet id and a reason code.</summary>
public sealed class MqttAckPacket(MqttPacketType type, ushort packetId, byte reasonCode = 0, MqttProperties? properties = null) : MqttPacket
{
    public override MqttPacketType Type { get; } = type;
    public ushort PacketId { get; } = packetId;
    public byte ReasonCode { get; } = reasonCode;
    public MqttProperties? Properties { get; } = properties;
}

/// <summary>One topic filter in a SUBSCRIBE with its MQTT 5 §3.8.3.1 options.</summary>
public sealed record MqttSubscription(string TopicFilter, MqttQos Qos, bool NoLocal = false, bool RetainAsPublished = false, byte RetainHandling = 0);

/// <summary>SUBSCRIBE (MQTT 5 §3.8).</summary>
public sealed class MqttSubscribePacket : MqttPacket
{
    public override MqttPacketType Type => MqttPacketType.Subscribe;
    public ushort PacketId { get; init; }
    public List<MqttSubscription> Subscriptions { get; init; } = [];
    public MqttProperties? Properties { get; init; }
}

/// <summary>SUBACK (MQTT 5 §3.9) / UNSUBACK (§3.11; no reason codes on 3.1.1).</summary>
public sealed class MqttSubAckPacket(MqttPacketType type, ushort packetId, byte[] reasonCodes, MqttProperties? properties = null) : MqttPacket
{
    public override MqttPacketType Type { get; } = type;
    public ushort PacketId { get; } = packetId;
    public byte[] ReasonCodes { get; } = reasonCodes;
    public MqttProperties? Properties { get; } = properties;
}

/// <summary>UNSUBSCRIBE (MQTT 5 §3.10).</summary>
public sealed class MqttUnsubscribePacket : MqttPacket
{
    public override MqttPacketType Type => MqttPacketType.Unsubscribe;
    public ushort PacketId { get; init; }
    public List<string> TopicFilters { get; init; } = [];
    public MqttProperties? Properties { get; init; }
}

/// <summary>PINGREQ / PINGRESP (MQTT 5 §3.12, §3.13): no variable header, no payload.</summary>
public sealed class MqttPingPacket : MqttPacket
{
    public static readonly MqttPingPacket Request = new(MqttPacketType.PingReq);
    public static readonly MqttPingPacket Response = new(MqttPacketType.PingResp);
    private MqttPingPacket(MqttPacketType type) => Type = type;
    public override MqttPacketType Type { get; }
}

/// <summary>DISCONNECT (MQTT 5 §3.14) / AUTH (§3.15): a reason code and properties (empty on 3.1.1).</summary>
public sealed class MqttReasonPacket(MqttPacketType type, byte reasonCode = 0, MqttProperties? properties = null) : MqttPacket
{
    public override MqttPacketType Type { get; } = type;
    public byte ReasonCode { get; } = reasonCode;
    public MqttProperties? Properties { get; } = properties;
}
