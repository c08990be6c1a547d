namespace Smart.Mqtt;

/// <summary>MQTT 5 reason codes (MQTT 5 §2.4). MQTT 3.1.1 CONNACK return codes are mapped onto these.</summary>
public enum MqttReasonCode : byte
{
    Success = 0x00, GrantedQos1 = 0x01, GrantedQos2 = 0x02, DisconnectWithWill = 0x04,
    NoMatchingSubscribers = 0x10, NoSubscriptionExisted = 0x11, ContinueAuthentication = 0x18, ReAuthenticate = 0x19,
    UnspecifiedError = 0x80, MalformedPacket = 0x81, ProtocolError = 0x82, ImplementationSpecificError = 0x83,
    UnsupportedProtocolVersion = 0x84, ClientIdentifierNotValid = 0x85, BadUserNameOrPassword = 0x86,
    NotAuthorized = 0x87, ServerUnavailable = 0x88, ServerBusy = 0x89, Banned = 0x8A, ServerShuttingDown = 0x8B,
    BadAuthenticationMethod = 0x8C, KeepAliveTimeout = 0x8D, SessionTakenOver = 0x8E, TopicFilterInvalid = 0x8F,
    TopicNameInvalid = 0x90, PacketIdentifierInUse = 0x91, PacketIdentifierNotFound = 0x92,
    ReceiveMaximumExceeded = 0x93, TopicAliasInvalid = 0x94, PacketTooLarge = 0x95, MessageRateTooHigh = 0x96,
    QuotaExceeded = 0x97, AdministrativeAction = 0x98, PayloadFormatInvalid = 0x99, RetainNotSupported = 0x9A,
    QosNotSupported = 0x9B, UseAnotherServer = 0x9C, ServerMoved = 0x9D, SharedSubscriptionsNotSupported = 0x9E,
    ConnectionRateExceeded = 0x9F, MaximumConnectTime = 0xA0, SubscriptionIdentifiersNotSupported = 0xA1,
    WildcardSubscriptionsNotSupported = 0xA2,
}

internal static class MqttReasonCodes
{
    /// <summary>MQTT 3.1.1 §3.2.2.3 CONNACK return codes 1..5 as MQTT 5 reason codes.</summary>
    public static MqttReasonCode FromV311ConnAck(byte code) => code switch
    {
        0 => MqttReasonCode.Success,
        1 => MqttReasonCode.UnsupportedProtocolVersion,
        2 => MqttReasonCode.ClientIdentifierNotValid,
        3 => MqttReasonCode.ServerUnavailable,
        4 => MqttReasonCode.BadUserNameOrPassword,
        5 => MqttReasonCode.NotAuthorized,
        _ => MqttReasonCode.UnspecifiedError,
    };

    public static string Describe(MqttReasonCode code) => code switch
    {
        MqttReasonCode.BadUserNameOrPassword => "bad user name or password (check the credentials and the broker's password file)",
        MqttReasonCode.NotAuthorized => "not authorised (the broker's ACL does not allow this client/topic)",
        MqttReasonCode.PacketTooLarge => "packet too large (exceeds the maximum packet size)",
        MqttReasonCode.QuotaExceeded => "quota exceeded",
        MqttReasonCode.TopicNameInvalid => "topic name invalid",
        MqttReasonCode.TopicFilterInvalid => "topic filter invalid",
        MqttReasonCode.SharedSubscriptionsNotSupported => "shared subscriptions not supported by the broker",
        _ => $"{code} (0x{(byte)code:X2})",
    };
}
