namespace Smart.Mqtt;

/// <summary>Base of every exception Smart.Mqtt throws.</summary>
public class MqttException : Exception
{
    public MqttException(string message) : base(message) { }
    public MqttException(string message, Exception? inner) : base(message, inner) { }
}

/// <summary>A malformed packet or a protocol violation by the peer (MQTT 5 §4.13). The connection is closed.</summary>
public sealed class MqttProtocolException(string message) : MqttException(message);

/// <summary>A socket / TLS / IO failure, translated once at the transport edge; the inner exception has details.</summary>
public sealed class MqttCommunicationException : MqttException
{
    public MqttCommunicationException(string message) : base(message) { }
    public MqttCommunicationException(string message, Exception? inner) : base(message, inner) { }
}

/// <summary>The broker refused the CONNECT (CONNACK reason code ≥ 0x80, or a 3.1.1 return code ≠ 0).</summary>
public sealed class MqttConnectException(MqttReasonCode reasonCode, string? reasonString = null)
    : MqttException($"MQTT connection refused: {MqttReasonCodes.Describe(reasonCode)}{(reasonString is null ? "" : $" — {reasonString}")}")
{
    public MqttReasonCode ReasonCode { get; } = reasonCode;
}

/// <summary>The broker rejected a QoS 1/2 PUBLISH with an MQTT 5 failure reason code (e.g. 0x87 not authorised).
/// MQTT 3.1.1 has no such signal: a broker silently drops a denied publish.</summary>
public sealed class MqttPublishException(string topic, MqttReasonCode reasonCode, string? reasonString = null)
    : MqttException($"MQTT publish to '{topic}' rejected: {MqttReasonCodes.Describe(reasonCode)}{(reasonString is null ? "" : $" — {reasonString}")}")
{
    public string Topic { get; } = topic;
    public MqttReasonCode ReasonCode { get; } = reasonCode;
}

/// <summary>The broker rejected a SUBSCRIBE or UNSUBSCRIBE (SUBACK 0x80 on 3.1.1, a reason code ≥ 0x80 on 5.0).</summary>
public sealed class MqttSubscribeException(string topicFilter, MqttReasonCode reasonCode)
    : MqttException($"MQTT subscription to '{topicFilter}' rejected: {MqttReasonCodes.Describe(reasonCode)}")
{
    public string TopicFilter { get; } = topicFilter;
    public MqttReasonCode ReasonCode { get; } = reasonCode;
}
