namespace Smart.Mqtt;

/// <summary>The protocol level sent in CONNECT (MQTT 3.1.1 §3.1.2.2, MQTT 5 §3.1.2.2).</summary>
public enum MqttProtocolVersion : byte
{
    /// <summary>MQTT 3.1.1 (protocol level 4).</summary>
    V311 = 4,
    /// <summary>MQTT 5.0 (protocol level 5).</summary>
    V500 = 5,
}

/// <summary>Quality of service of a PUBLISH (MQTT 5 §4.3).</summary>
public enum MqttQos : byte
{
    /// <summary>QoS 0: fire and forget.</summary>
    AtMostOnce = 0,
    /// <summary>QoS 1: PUBLISH / PUBACK; may be duplicated.</summary>
    AtLeastOnce = 1,
    /// <summary>QoS 2: PUBLISH / PUBREC / PUBREL / PUBCOMP.</summary>
    ExactlyOnce = 2,
}

/// <summary>Control packet types (MQTT 5 §2.1.2).</summary>
public enum MqttPacketType : byte
{
    Connect = 1, ConnAck = 2, Publish = 3, PubAck = 4, PubRec = 5, PubRel = 6, PubComp = 7,
    Subscribe = 8, SubAck = 9, Unsubscribe = 10, UnsubAck = 11, PingReq = 12, PingResp = 13,
    Disconnect = 14, Auth = 15,
}

/// <summary>What <see cref="MqttClient.StateChanged"/> reports.</summary>
public enum MqttConnectionStatus
{
    /// <summary>CONNACK accepted; subscriptions and in-flight publishes restored.</summary>
    Connected,
    /// <summary>The connection was lost or closed; <see cref="MqttConnectionState.Reason"/> says why.</summary>
    Disconnected,
    /// <summary>A reconnect attempt is starting.</summary>
    Reconnecting,
}

/// <summary>A connection state change with its cause (null for a clean, requested disconnect).</summary>
public sealed record MqttConnectionState(MqttConnectionStatus Status, Exception? Reason = null)
{
    public bool IsConnected => Status == MqttConnectionStatus.Connected;
}
