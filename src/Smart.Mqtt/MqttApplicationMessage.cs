namespace Smart.Mqtt;

/// <summary>An application message received from the broker. Acknowledge QoS 1/2 messages with
/// <see cref="MqttClient.AcknowledgeAsync"/> once they are durable.</summary>
public sealed class MqttApplicationMessage
{
    internal MqttApplicationMessage(string topic, ReadOnlyMemory<byte> payload, MqttQos qos, bool retain, bool duplicate, ushort packetId)
    {
        Topic = topic;
        Payload = payload;
        Qos = qos;
        Retain = retain;
        Duplicate = duplicate;
        PacketId = packetId;
    }

    public string Topic { get; }
    public ReadOnlyMemory<byte> Payload { get; }
    public MqttQos Qos { get; }
    public bool Retain { get; }
    /// <summary>DUP flag: the broker may have delivered this message before (MQTT 5 §3.3.1.1).</summary>
    public bool Duplicate { get; }

    internal ushort PacketId { get; }
    /// <summary>The connection it arrived on: acks go to that connection only (a later one gets a redelivery).</summary>
    internal Internal.MqttConnection? Connection { get; set; }
    internal bool Acknowledged { get; set; }

    public override string ToString() => $"{Topic} qos{(int)Qos} {Payload.Length} B{(Retain ? " retain" : "")}{(Duplicate ? " dup" : "")}";
}
