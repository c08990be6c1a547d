namespace FirmwareSim.Transport;

/// <summary>Placeholder until Smart.Mqtt's first cut is merged.</summary>
internal sealed class SmartMqttLinkFactory : IMqttLinkFactory
{
    public IMqttLink Create(LinkOptions options) => throw new NotSupportedException("Smart.Mqtt is not available in this build yet.");
}
