using System.Text;
using Smart.Mqtt.Packets;

namespace Smart.Mqtt.Tests.Formatter;

/// <summary>One representative instance of every packet type (with and without optional parts), and a textual
/// description of a packet's fields so tests can compare decoded against original.</summary>
internal static class SamplePackets
{
    private static readonly string[] Common =
    [
        "connect-minimal", "connect-full", "connack-accepted", "connack-refused", "publish-qos0", "publish-qos1-retain",
        "publish-qos2-dup", "publish-empty-payload", "puback", "pubrec", "pubrel", "pubcomp", "subscribe", "suback",
        "unsubscribe", "unsuback", "pingreq", "pingresp", "disconnect",
    ];

    private static readonly string[] V5Only =
    [
        "connect-properties", "connack-properties", "publish-properties", "puback-reason", "pubrec-reason-properties",
        "subscribe-options", "disconnect-reason", "auth",
    ];

    public static IEnumerable<string> Names(MqttProtocolVersion v) => v == MqttProtocolVersion.V500 ? [.. Common, .. V5Only] : Common;

    public static MqttPacket Create(MqttProtocolVersion v, string name) => name switch
    {
        "connect-minimal" => new MqttConnectPacket { ProtocolVersion = v, ClientId = "", KeepAliveSeconds = 0 },
        "connect-full" => new MqttConnectPacket
        {
            ProtocolVersion = v, ClientId = "dev-α", CleanStart = false, KeepAliveSeconds = 30, Username = "u", Password = [1, 2, 3],
            WillTopic = "smart/v1/fire/d1/status", WillPayload = Encoding.UTF8.GetBytes("{\"online\":false}"),
            WillQos = MqttQos.AtLeastOnce, WillRetain = true,
        },
        "connect-properties" => new MqttConnectPacket
        {
            ProtocolVersion = v, ClientId = "c", WillTopic = "w", WillPayload = [],
            Properties = new MqttProperties().Add(MqttPropertyId.SessionExpiryInterval, 3600).Add(MqttPropertyId.ReceiveMaximum, 100)
                .Add(MqttPropertyId.MaximumPacketSize, 1 << 20).AddUser("k", "v").AddUser("k", "v2"),
            WillProperties = new MqttProperties().Add(MqttPropertyId.WillDelayInterval, 5).Add(MqttPropertyId.ContentType, "application/json"),
        },
        "connack-accepted" => new MqttConnAckPacket { SessionPresent = true, ReasonCode = 0 },
        "connack-refused" => new MqttConnAckPacket { ReasonCode = v == MqttProtocolVersion.V500 ? (byte)0x86 : (byte)4 },
        "connack-properties" => new MqttConnAckPacket
        {
            Properties = new MqttProperties().Add(MqttPropertyId.ReceiveMaximum, 20).Add(MqttPropertyId.AssignedClientIdentifier, "auto-1")
                .Add(MqttPropertyId.ServerKeepAlive, 60).Add(MqttPropertyId.AuthenticationData, [9, 9]),
        },
        "publish-qos0" => MqttPublishPacket.Create("smart/v1/fire/d1/telemetry", Encoding.UTF8.GetBytes("{\"temp_c\":21.5}"), MqttQos.AtMostOnce, false, false, 0),
        "publish-qos1-retain" => MqttPublishPacket.Create("a/b", [0, 255], MqttQos.AtLeastOnce, true, false, 1),
        "publish-qos2-dup" => MqttPublishPacket.Create("a/ü", [42], MqttQos.ExactlyOnce, false, true, 65535),
        "publish-empty-payload" => MqttPublishPacket.Create("a", [], MqttQos.AtLeastOnce, true, false, 3),
        "publish-properties" => MqttPublishPacket.Create("t", [1], MqttQos.AtLeastOnce, false, false, 9,
            new MqttProperties().Add(MqttPropertyId.MessageExpiryInterval, 60).Add(MqttPropertyId.ResponseTopic, "r")
                .Add(MqttPropertyId.CorrelationData, [1, 2]).Add(MqttPropertyId.SubscriptionIdentifier, 268_435_455)
                .Add(MqttPropertyId.PayloadFormatIndicator, 1)),
        "puback" => new MqttAckPacket(MqttPacketType.PubAck, 1),
        "pubrec" => new MqttAckPacket(MqttPacketType.PubRec, 2),
        "pubrel" => new MqttAckPacket(MqttPacketType.PubRel, 3),
        "pubcomp" => new MqttAckPacket(MqttPacketType.PubComp, 65535),
        "puback-reason" => new MqttAckPacket(MqttPacketType.PubAck, 4, 0x87),
        "pubrec-reason-properties" => new MqttAckPacket(MqttPacketType.PubRec, 5, 0x10, new MqttProperties().Add(MqttPropertyId.ReasonString, "no subscribers")),
        "subscribe" => new MqttSubscribePacket
        {
            PacketId = 7, Subscriptions = [new("$share/bridge/smart/v1/+/+/telemetry", MqttQos.AtLeastOnce), new("a/#", MqttQos.ExactlyOnce)],
        },
        "subscribe-options" => new MqttSubscribePacket
        {
            PacketId = 8, Subscriptions = [new("x", MqttQos.AtLeastOnce, NoLocal: true, RetainAsPublished: true, RetainHandling: 2)],
            Properties = new MqttProperties().Add(MqttPropertyId.SubscriptionIdentifier, 5),
        },
        "suback" => new MqttSubAckPacket(MqttPacketType.SubAck, 7, [1, 2, 0x80]),
        "unsubscribe" => new MqttUnsubscribePacket { PacketId = 9, TopicFilters = ["a/#", "b"] },
        "unsuback" => new MqttSubAckPacket(MqttPacketType.UnsubAck, 9, v == MqttProtocolVersion.V500 ? [0, 0x11] : []),
        "pingreq" => MqttPingPacket.Request,
        "pingresp" => MqttPingPacket.Response,
        "disconnect" => new MqttReasonPacket(MqttPacketType.Disconnect),
        "disconnect-reason" => new MqttReasonPacket(MqttPacketType.Disconnect, 0x8B, new MqttProperties().Add(MqttPropertyId.ServerReference, "other:1883")),
        "auth" => new MqttReasonPacket(MqttPacketType.Auth, 0x18, new MqttProperties().Add(MqttPropertyId.AuthenticationMethod, "SCRAM-SHA-1")),
        _ => throw new ArgumentException(name),
    };

    public static string Describe(MqttPacket p, MqttProtocolVersion v)
    {
        var sb = new StringBuilder(p.Type.ToString());
        void Add(string k, object? val) => sb.Append(' ').Append(k).Append('=').Append(val is byte[] b ? Convert.ToHexString(b) : val);
        void Props(string k, MqttProperties? props)
        {
            if (props is null) return;
            foreach (var x in props.Items) Add(k + "." + x.Id, $"{x.Number}|{x.Text}|{(x.Binary is null ? "" : Convert.ToHexString(x.Binary))}|{x.Value}");
        }
        switch (p)
        {
            case MqttConnectPacket c:
                Add("v", c.ProtocolVersion); Add("id", c.ClientId); Add("clean", c.CleanStart); Add("ka", c.KeepAliveSeconds);
                Add("user", c.Username); Add("pass", c.Password); Add("will", c.WillTopic); Add("willPayload", c.WillPayload);
                Add("willQos", c.WillQos); Add("willRetain", c.WillRetain); Props("p", c.Properties); Props("wp", c.WillProperties);
                break;
            case MqttConnAckPacket a: Add("sp", a.SessionPresent); Add("rc", a.ReasonCode); Props("p", a.Properties); break;
            case MqttPublishPacket pub:
                var m = pub.Message;
                Add("topic", m.Topic); Add("payload", m.Payload.ToArray()); Add("qos", m.Qos); Add("retain", m.Retain);
                Add("dup", m.Duplicate); Add("id", pub.PacketId); Props("p", pub.Properties);
                break;
            case MqttAckPacket a: Add("id", a.PacketId); Add("rc", a.ReasonCode); Props("p", a.Properties); break;
            case MqttSubscribePacket s:
                Add("id", s.PacketId); Props("p", s.Properties);
                foreach (var x in s.Subscriptions) Add("sub", x);
                break;
            case MqttSubAckPacket s: Add("id", s.PacketId); Add("codes", s.ReasonCodes); Props("p", s.Properties); break;
            case MqttUnsubscribePacket u: Add("id", u.PacketId); Add("filters", string.Join(",", u.TopicFilters)); Props("p", u.Properties); break;
            case MqttReasonPacket r: Add("rc", r.ReasonCode); Props("p", r.Properties); break;
        }
        return sb.ToString();
    }
}
