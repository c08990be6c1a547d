namespace Smart.Mqtt.Internal;

/// <summary>An outgoing QoS 1/2 publish from PUBLISH until PUBACK / PUBCOMP; it is its own completion source
/// (one allocation per publish).</summary>
internal sealed class MqttOutgoingPublish(string topic, ReadOnlyMemory<byte> payload, MqttQos qos, bool retain, long sequence)
    : TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)
{
    public string Topic { get; } = topic;
    public ReadOnlyMemory<byte> Payload { get; } = payload;
    public MqttQos Qos { get; } = qos;
    public bool Retain { get; } = retain;
    /// <summary>Order of PublishAsync calls: resends after a reconnect keep it (MQTT 5 §4.6).</summary>
    public long Sequence { get; } = sequence;
    public ushort PacketId { get; set; }
    /// <summary>Sent at least once: a resend carries DUP (MQTT 5 §3.3.1.1).</summary>
    public bool Sent { get; set; }
    /// <summary>QoS 2: PUBREC received, PUBREL sent, waiting for PUBCOMP.</summary>
    public bool Released { get; set; }
}
