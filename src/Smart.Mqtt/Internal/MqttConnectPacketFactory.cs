using System.Text;
using Smart.Mqtt.Packets;

namespace Smart.Mqtt.Internal;

internal static class MqttConnectPacketFactory
{
    public static MqttConnectPacket Create(MqttClientOptions o, string? assignedClientId)
    {
        var v5 = o.ProtocolVersion == MqttProtocolVersion.V500;
        MqttProperties? props = null;
        if (v5)
        {
            props = new MqttProperties();
            if (o.SessionExpirySeconds > 0) props.Add(MqttPropertyId.SessionExpiryInterval, o.SessionExpirySeconds);
            if (o.ReceiveMaximum != 65535) props.Add(MqttPropertyId.ReceiveMaximum, o.ReceiveMaximum);
            props.Add(MqttPropertyId.MaximumPacketSize, (uint)o.MaxPacketBytes);
        }
        return new MqttConnectPacket
        {
            ProtocolVersion = o.ProtocolVersion,
            ClientId = o.ClientId.Length > 0 ? o.ClientId : assignedClientId ?? "",
            CleanStart = o.CleanStart,
            KeepAliveSeconds = (ushort)Math.Ceiling(o.KeepAlive.TotalSeconds),
            Username = o.Username,
            Password = o.Password is null ? null : Encoding.UTF8.GetBytes(o.Password),
            WillTopic = o.Will?.Topic,
            WillPayload = o.Will?.Payload.ToArray(),
            WillQos = o.Will?.Qos ?? MqttQos.AtMostOnce,
            WillRetain = o.Will?.Retain ?? false,
            Properties = props,
        };
    }
}
