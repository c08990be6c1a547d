namespace Smart.Mqtt.Packets;

/// <summary>MQTT 5 property identifiers (MQTT 5 §2.2.2.2) with their wire types.</summary>
public enum MqttPropertyId : byte
{
    PayloadFormatIndicator = 0x01, MessageExpiryInterval = 0x02, ContentType = 0x03, ResponseTopic = 0x08,
    CorrelationData = 0x09, SubscriptionIdentifier = 0x0B, SessionExpiryInterval = 0x11,
    AssignedClientIdentifier = 0x12, ServerKeepAlive = 0x13, AuthenticationMethod = 0x15, AuthenticationData = 0x16,
    RequestProblemInformation = 0x17, WillDelayInterval = 0x18, RequestResponseInformation = 0x19,
    ResponseInformation = 0x1A, ServerReference = 0x1C, ReasonString = 0x1F, ReceiveMaximum = 0x21,
    TopicAliasMaximum = 0x22, TopicAlias = 0x23, MaximumQos = 0x24, RetainAvailable = 0x25, UserProperty = 0x26,
    MaximumPacketSize = 0x27, WildcardSubscriptionAvailable = 0x28, SubscriptionIdentifierAvailable = 0x29,
    SharedSubscriptionAvailable = 0x2A,
}

internal enum MqttPropertyType : byte { Invalid, Byte, UInt16, UInt32, VarInt, String, Binary, StringPair }

/// <summary>One MQTT 5 property: an integer, a string, binary data or (user property) a name/value pair.</summary>
public readonly record struct MqttProperty(MqttPropertyId Id, uint Number = 0, string? Text = null, byte[]? Binary = null, string? Value = null)
{
    internal static MqttPropertyType TypeOf(MqttPropertyId id) => id switch
    {
        MqttPropertyId.PayloadFormatIndicator or MqttPropertyId.RequestProblemInformation
            or MqttPropertyId.RequestResponseInformation or MqttPropertyId.MaximumQos or MqttPropertyId.RetainAvailable
            or MqttPropertyId.WildcardSubscriptionAvailable or MqttPropertyId.SubscriptionIdentifierAvailable
            or MqttPropertyId.SharedSubscriptionAvailable => MqttPropertyType.Byte,
        MqttPropertyId.ServerKeepAlive or MqttPropertyId.ReceiveMaximum or MqttPropertyId.TopicAliasMaximum
            or MqttPropertyId.TopicAlias => MqttPropertyType.UInt16,
        MqttPropertyId.MessageExpiryInterval or MqttPropertyId.SessionExpiryInterval or MqttPropertyId.WillDelayInterval
            or MqttPropertyId.MaximumPacketSize => MqttPropertyType.UInt32,
        MqttPropertyId.SubscriptionIdentifier => MqttPropertyType.VarInt,
        MqttPropertyId.ContentType or MqttPropertyId.ResponseTopic or MqttPropertyId.AssignedClientIdentifier
            or MqttPropertyId.AuthenticationMethod or MqttPropertyId.ResponseInformation or MqttPropertyId.ServerReference
            or MqttPropertyId.ReasonString => MqttPropertyType.String,
        MqttPropertyId.CorrelationData or MqttPropertyId.AuthenticationData => MqttPropertyType.Binary,
        MqttPropertyId.UserProperty => MqttPropertyType.StringPair,
        _ => MqttPropertyType.Invalid,
    };
}

/// <summary>The property list of an MQTT 5 packet, in wire order.</summary>
public sealed class MqttProperties
{
    public List<MqttProperty> Items { get; } = [];

    public MqttProperties Add(MqttPropertyId id, uint number) { Items.Add(new(id, number)); return this; }
    public MqttProperties Add(MqttPropertyId id, string text) { Items.Add(new(id, Text: text)); return this; }
    public MqttProperties Add(MqttPropertyId id, byte[] binary) { Items.Add(new(id, Binary: binary)); return this; }
    public MqttProperties AddUser(string name, string value) { Items.Add(new(MqttPropertyId.UserProperty, Text: name, Value: value)); return this; }

    public uint? GetNumber(MqttPropertyId id)
    {
        foreach (var p in Items) if (p.Id == id) return p.Number;
        return null;
    }

    public string? GetText(MqttPropertyId id)
    {
        foreach (var p in Items) if (p.Id == id) return p.Text;
        return null;
    }

    internal static uint? Number(MqttProperties? props, MqttPropertyId id) => props?.GetNumber(id);
    internal static string? Text(MqttProperties? props, MqttPropertyId id) => props?.GetText(id);
}
